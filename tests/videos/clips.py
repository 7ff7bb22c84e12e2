"""Tiny clips made with PyAV for the tests: nothing binary is committed."""

import io
import struct
from fractions import Fraction
from pathlib import Path

import av


def make_clip(
    path: Path,
    *,
    codec: str = "libx264",
    container_format: str | None = None,
    width: int = 64,
    height: int = 48,
    seconds: float = 1.0,
    fps: int = 10,
    codec_tag: str | None = None,
    rotation: int = 0,
    audio: bool = False,
    faststart: bool = False,
) -> Path:
    """A short clip of changing grey frames (and a tone, with `audio`)."""
    options = {"movflags": "+faststart"} if faststart else {}
    with av.open(str(path), "w", format=container_format, container_options=options) as out:
        video = out.add_stream(codec, rate=fps)
        video.width, video.height = width, height
        video.pix_fmt = "yuv420p"
        if codec_tag:
            video.codec_tag = codec_tag
        if codec == "libx265":
            video.options = {"x265-params": "log-level=error"}
        if rotation:
            video.set_display_rotation(rotation)
        sound = None
        if audio:
            sound = out.add_stream("aac", rate=48000)
            sound.layout = "mono"
        frames = int(seconds * fps)
        for index in range(frames):
            frame = av.VideoFrame(width, height, "yuv420p")
            shade = bytes([(index * 23) % 256])
            for plane in frame.planes:
                plane.update(shade * plane.buffer_size)
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            for packet in video.encode(frame):
                out.mux(packet)
        for packet in video.encode():
            out.mux(packet)
        if sound is not None:
            samples = 1024
            for index in range(int(seconds * 48000 / samples)):
                chunk = av.AudioFrame(format="fltp", layout="mono", samples=samples)
                chunk.planes[0].update(bytes(samples * 4))
                chunk.sample_rate = 48000
                chunk.pts = index * samples
                for packet in sound.encode(chunk):
                    out.mux(packet)
            for packet in sound.encode():
                out.mux(packet)
    return path


def h264_mp4(directory: Path, name: str = "set.mp4", **options: object) -> Path:
    return make_clip(directory / name, audio=True, **options)  # type: ignore[arg-type]


def hevc_mov(directory: Path) -> Path:
    return make_clip(directory / "iphone.mov", codec="libx265", codec_tag="hvc1")


def vp9_webm(directory: Path) -> Path:
    return make_clip(directory / "android.webm", codec="libvpx-vp9", container_format="webm")


def rotated_mp4(directory: Path) -> Path:
    # Stored landscape 64×48 with a display matrix: shown upright it is 48×64 (portrait).
    return make_clip(directory / "portrait.mp4", rotation=90)


def truncated(source: Path, target: Path) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


def pdf_named_mp4(directory: Path) -> Path:
    path = directory / "form.mp4"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n" * 40)
    return path


def png_named_mp4(directory: Path) -> Path:
    from PIL import Image

    path = directory / "photo.mp4"
    Image.new("RGB", (64, 48), "white").save(path, "PNG")
    return path


def _annex_b(width: int, height: int, frames: int, fps: int) -> bytes:
    """Raw H.264 (parameter sets in-band) of flat grey frames: a few bytes even when huge."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="h264") as out:
        video = out.add_stream("libx264", rate=fps)
        video.width, video.height = width, height
        video.pix_fmt = "yuv420p"
        video.options = {"preset": "ultrafast"}
        for index in range(frames):
            frame = av.VideoFrame(width, height, "yuv420p")
            for plane in frame.planes:
                plane.update(b"\x80" * plane.buffer_size)
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            for packet in video.encode(frame):
                out.mux(packet)
        for packet in video.encode():
            out.mux(packet)
    return buffer.getvalue()


def resized_midstream(
    directory: Path, *, first: tuple[int, int] = (64, 64), then: tuple[int, int] = (4200, 4200)
) -> Path:
    """An MP4 whose header (the first parameter sets) says `first`, but whose later frames,
    after new parameter sets in the stream itself, are `then` pixels."""
    fps = 10
    raw = directory / "resized.h264"
    raw.write_bytes(_annex_b(*first, frames=5, fps=fps) + _annex_b(*then, frames=1, fps=fps))
    path = directory / "resized.mp4"
    with av.open(str(raw)) as source, av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream_from_template(source.streams.video[0])
        index = 0
        for packet in source.demux(source.streams.video[0]):
            if not packet.size:
                continue
            packet.stream = stream
            packet.pts = packet.dts = index
            packet.time_base = Fraction(1, fps)
            packet.duration = 1
            index += 1
            out.mux(packet)
    raw.unlink()
    return path


def lying_webm(directory: Path, *, seconds: float, claims: float, fps: int = 2) -> Path:
    """A tiny VP9 WebM whose Segment Duration says `claims` seconds but holds `seconds`."""
    path = make_clip(
        directory / "lying.webm",
        codec="libvpx-vp9",
        container_format="webm",
        width=16,
        height=16,
        seconds=seconds,
        fps=fps,
    )
    data = bytearray(path.read_bytes())
    # Duration (ID 0x4489) is an 8-byte float in milliseconds (the default TimecodeScale).
    at = data.index(b"\x44\x89\x88")
    data[at + 3 : at + 11] = struct.pack(">d", claims * 1000)
    path.write_bytes(bytes(data))
    return path
