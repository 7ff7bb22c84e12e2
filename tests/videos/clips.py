"""Tiny clips made with PyAV for the tests: nothing binary is committed."""

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
