"""Backups of a club's data: the whole database and every stored file, in one archive.

The archive is a plain tar file:

    manifest.json        format, when, which database, and every file with its SHA-256
    database.pgdump      `pg_dump --format=custom` of PostgreSQL (a consistent snapshot)
    database.sqlite3     or a copy of the SQLite database, made with SQLite's backup API
    files/<storage>/<name>  every file a model points at (form videos, posters, demo clips)

The database is dumped first and the files copied after it, so every file the dump
refers to is in the archive (a clip uploaded during the backup may be in it without its
row: harmless). Files are read through their Django storage, so a bucket is backed up
as well as a folder.

A restore checks the whole archive (manifest, checksums, database kind) before it
touches anything, replaces the database in one transaction (PostgreSQL: the schema is
dropped and recreated inside the same transaction as the restore, so a failure leaves
the old data in place), then writes the files back.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump and psql are run with argument lists, no shell
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import connection, connections
from django.db.models import FileField
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for a person."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    database: str
    files: int
    bytes: int


def backup_write(*, path: Path) -> BackupSummary:
    """Write a backup archive of the database and every stored file to `path`."""
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="runstrong-backup-") as work:
        folder = Path(work)
        database_file = folder / (PG_DUMP if vendor == "postgresql" else SQLITE_COPY)
        if vendor == "postgresql":
            _pg_dump(database_file)
        else:
            _sqlite_copy(Path(settings.DATABASES["default"]["NAME"]), database_file)
        files: list[dict[str, Any]] = []
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(database_file, arcname=database_file.name)
            for alias, storage, name in _stored_files():
                member = str(PurePosixPath("files", alias, name))
                digest, size = _add_from_storage(archive, storage, name, member)
                files.append({"storage": alias, "name": name, "size": size, "sha256": digest})
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "database": vendor,
                "database_file": database_file.name,
                "files": files,
            }
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
        # Only a complete archive gets the name asked for.
        partial.replace(path)
    return BackupSummary(path, vendor, len(files), sum(f["size"] for f in files))


def backup_restore(*, path: Path) -> BackupSummary:
    """Replace the database and stored files with those of the archive at `path`."""
    try:
        archive = tarfile.open(path, "r")  # noqa: SIM115 - closed below, after the checks
    except (OSError, tarfile.TarError):
        raise BackupError(f"Nothing was changed: {path} is not a backup archive.") from None
    with archive, tempfile.TemporaryDirectory() as work:
        try:
            manifest = _checked_manifest(archive)
            database_file = Path(work) / manifest["database_file"]
            _extract(archive, manifest["database_file"], database_file)
            _verify_files(archive, manifest["files"])
            if manifest["database"] == "postgresql":
                _pg_restore(database_file)
            else:
                _sqlite_restore(database_file, Path(settings.DATABASES["default"]["NAME"]))
        except (BackupError, tarfile.TarError, OSError) as error:
            raise BackupError(f"Nothing was changed: {error}") from None
        try:
            for entry in manifest["files"]:
                _restore_file(archive, entry)
        except (BackupError, tarfile.TarError, OSError) as error:
            raise BackupError(
                f"The database was restored but not every file ({error}): run the restore again."
            ) from None
    files = manifest["files"]
    return BackupSummary(path, manifest["database"], len(files), sum(f["size"] for f in files))


# --- files --------------------------------------------------------------------------------


def _storage_alias(storage: Storage) -> str | None:
    for alias in settings.STORAGES:
        if storages[alias] is storage:
            return alias
    return None


def _stored_files() -> Iterator[tuple[str, Storage, str]]:
    """(storage alias, storage, name) of every file a row points at, each once."""
    seen: set[tuple[str, str]] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, FileField):
                continue
            alias = _storage_alias(field.storage)
            if alias is None:
                raise BackupError(f"{model.__name__}.{field.name} uses a storage not in STORAGES.")
            names = (
                model._default_manager.exclude(**{field.name: ""})
                .exclude(**{f"{field.name}__isnull": True})
                .values_list(field.name, flat=True)
                .iterator()
            )
            for name in names:
                if (alias, name) not in seen:
                    seen.add((alias, name))
                    yield alias, field.storage, name


def _add_from_storage(
    archive: tarfile.TarFile, storage: Storage, name: str, member: str
) -> tuple[str, int]:
    with tempfile.TemporaryFile() as copy:
        try:
            with storage.open(name, "rb") as source:
                digest, size = _copy_hashed(source, copy)
        except FileNotFoundError:
            raise BackupError(f"A stored file is missing: {name}.") from None
        copy.seek(0)
        info = tarfile.TarInfo(member)
        info.size = size
        info.mtime = int(timezone.now().timestamp())
        archive.addfile(info, copy)
    return digest, size


def _copy_hashed(source: IO[bytes], target: IO[bytes] | None) -> tuple[str, int]:
    """Read `source` to its end (into `target`, if given): its SHA-256 and its size."""
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return digest.hexdigest(), size


def _add_bytes(archive: tarfile.TarFile, member: str, data: bytes) -> None:
    with tempfile.TemporaryFile() as buffer:
        buffer.write(data)
        buffer.seek(0)
        info = tarfile.TarInfo(member)
        info.size = len(data)
        info.mtime = int(timezone.now().timestamp())
        archive.addfile(info, buffer)


def _member(archive: tarfile.TarFile, name: str) -> tarfile.TarInfo:
    try:
        info = archive.getmember(name)
    except KeyError:
        raise BackupError(f"The archive has no {name}: it is not a complete backup.") from None
    if not info.isfile():
        raise BackupError(f"{name} in the archive is not a file.")
    return info


def _extract(archive: tarfile.TarFile, name: str, target: Path) -> None:
    source = archive.extractfile(_member(archive, name))
    assert source is not None  # noqa: S101 - _member checked it is a regular file
    with source, target.open("wb") as out:
        shutil.copyfileobj(source, out, CHUNK)


def _verify_files(archive: tarfile.TarFile, entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        member = str(PurePosixPath("files", entry["storage"], entry["name"]))
        source = archive.extractfile(_member(archive, member))
        assert source is not None  # noqa: S101
        with source:
            digest, _ = _copy_hashed(source, None)
        if digest != entry["sha256"]:
            raise BackupError(f"{entry['name']} in the archive is damaged (checksum differs).")
        if entry["storage"] not in settings.STORAGES:
            raise BackupError(f"This installation has no storage called {entry['storage']}.")


def _restore_file(archive: tarfile.TarFile, entry: dict[str, Any]) -> None:
    storage = storages[entry["storage"]]
    name = entry["name"]
    member = str(PurePosixPath("files", entry["storage"], name))
    source = archive.extractfile(_member(archive, member))
    assert source is not None  # noqa: S101
    if storage.exists(name):
        storage.delete(name)
    with source:
        saved = storage.save(name, File(source, name=PurePosixPath(name).name))
    if saved != name:
        raise BackupError(f"{name} was stored as {saved}: the storage renamed it.")


# --- the database -------------------------------------------------------------------------


def _checked_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    source = archive.extractfile(_member(archive, MANIFEST))
    assert source is not None  # noqa: S101
    try:
        manifest = json.load(source)
    except ValueError:
        raise BackupError("The archive's manifest is not valid JSON.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"This archive is in backup format {manifest.get('format')}, not {FORMAT}."
        )
    if manifest.get("database") != connection.vendor:
        raise BackupError(
            f"The archive holds a {manifest.get('database')} database; "
            f"this installation uses {connection.vendor}."
        )
    return manifest


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    """The connection arguments and environment for PostgreSQL's own tools."""
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], *, env: dict[str, str], stdout: Any = subprocess.DEVNULL) -> None:
    try:
        subprocess.run(  # noqa: S603
            command, env=env, check=True, stdout=stdout, stderr=subprocess.PIPE
        )
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).") from None
    except subprocess.CalledProcessError as error:
        detail = error.stderr.decode(errors="replace").strip().splitlines()
        raise BackupError(f"{command[0]} failed: {detail[-1] if detail else error}") from None


def _pg_dump(target: Path) -> None:
    args, env = _pg_environment()
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env=env)


def _pg_restore(dump: Path) -> None:
    """Drop and rebuild the schema from the dump in one transaction: all of it or none."""
    args, env = _pg_environment()
    script = dump.with_suffix(".sql")
    with script.open("wb") as sql:
        sql.write(b"DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n")
        sql.flush()
        # With --file=- instead of a database, pg_restore writes the SQL it would run.
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--no-comments", "--file=-", str(dump)],
            env=env,
            stdout=sql,
        )
    connections.close_all()  # nobody keeps the old tables' locks
    _run(
        [
            "psql",
            "--quiet",
            "--no-psqlrc",
            "--single-transaction",
            "-v",
            "ON_ERROR_STOP=1",
            "--file",
            str(script),
            *args,
        ],
        env=env,
    )


def _sqlite_copy(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)


def _sqlite_restore(copy: Path, live: Path) -> None:
    connections.close_all()
    # The backup API replaces the live file's pages in one step: all of it or none.
    with closing(sqlite3.connect(copy)) as source, closing(sqlite3.connect(live)) as target:
        source.backup(target)
