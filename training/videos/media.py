"""Reading and converting clips with PyAV. No Django here: paths in, facts or files out.

Every function raises NotAVideo with a sentence for the athlete when the file is not a
clip we can use, so callers never show FFmpeg's own wording.
"""

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.error
from av.filter import Graph

# Containers phones and cameras record into. An image or a GIF also opens in FFmpeg
# (as a one-frame "video"), so the container decides, not the mere presence of a stream.
VIDEO_CONTAINERS = {"mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi"}
# The last packet must reach this share of the announced duration, or the file was cut short.
COMPLETE_SHARE = 0.9


class NotAVideo(ValueError):
    """The file cannot be accepted; str(error) is the message for the person."""


@dataclass(frozen=True)
class Probe:
    duration: float  # seconds
    width: int  # as stored, before rotation
    height: int
    fps: float
    rotation: int  # counter-clockwise degrees to display upright: 0, 90, 180 or 270
    codec: str
    container: str
    has_audio: bool

    @property
    def display_size(self) -> tuple[int, int]:
        if self.rotation in (90, 270):
            return self.height, self.width
        return self.width, self.height


def _minutes(seconds: float) -> str:
    # Rounded up: a clip 0.4 s over the limit must not read as exactly the limit.
    whole = math.ceil(seconds)
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def probe(path: Path, *, max_seconds: int, max_dimension: int) -> Probe:
    """What the clip is, after checking that it is a whole, playable video within the caps."""
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, UnicodeDecodeError, OSError):
        raise NotAVideo(
            "This file isn't a video we can read, or it is damaged or incomplete. "
            "Choose the clip from your camera again."
        ) from None
    with container:
        if container.format.name not in VIDEO_CONTAINERS or not container.streams.video:
            raise NotAVideo("This file isn't a video. Choose a clip from your camera.")
        stream = container.streams.video[0]
        context = stream.codec_context
        if context is None:  # a codec this build of FFmpeg can't decode
            raise NotAVideo(
                "This video is damaged or incomplete, or in a format we can't play. "
                "Upload it again."
            )
        width, height = context.width, context.height
        if not width or not height:
            raise NotAVideo("This video has no picture we can read.")
        if max(width, height) > max_dimension:
            raise NotAVideo(
                f"This video is {width}×{height} pixels; the largest we take is "
                f"{max_dimension} pixels a side. Film in 4K or less."
            )
        duration = _container_duration(container)
        if duration <= 0:
            raise NotAVideo("This video has no length we can read. Film the set again.")
        if duration > max_seconds:
            raise NotAVideo(
                f"This video is {_minutes(duration)} long; the limit is {_minutes(max_seconds)}. "
                "Trim it to the set and upload it again."
            )
        rotation = _first_frame_rotation(container, stream)
        _check_complete(container, stream, duration)
        rate = stream.average_rate or stream.guessed_rate or Fraction(30)
        return Probe(
            duration=round(duration, 3),
            width=width,
            height=height,
            fps=round(float(rate), 3),
            rotation=rotation,
            codec=context.name,
            container=container.format.name,
            has_audio=bool(container.streams.audio),
        )


def _container_duration(container: av.container.InputContainer) -> float:
    # .webm streams report no frame count, and some no stream duration: the container's wins.
    if container.duration:
        return container.duration / av.time_base
    stream = container.streams.video[0]
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return 0.0


def _first_frame_rotation(
    container: av.container.InputContainer, stream: av.video.stream.VideoStream
) -> int:
    try:
        frame = next(container.decode(stream))
    except (av.error.FFmpegError, StopIteration):
        raise NotAVideo(
            "This video is damaged or incomplete: its first picture can't be read."
        ) from None
    return int(round(frame.rotation or 0)) % 360


def _check_complete(
    container: av.container.InputContainer, stream: av.video.stream.VideoStream, duration: float
) -> None:
    """A cut-off upload keeps its header's full duration: the packets must reach it too."""
    container.seek(0)
    last_end = 0.0
    try:
        for packet in container.demux(stream):
            if packet.pts is None or packet.time_base is None:
                continue
            end = float((packet.pts + (packet.duration or 0)) * packet.time_base)
            last_end = max(last_end, end)
    except av.error.FFmpegError:
        raise NotAVideo("This video is damaged or incomplete. Upload it again.") from None
    start = float(stream.start_time * stream.time_base) if stream.start_time else 0.0
    if last_end - start < duration * COMPLETE_SHARE:
        raise NotAVideo("This video is damaged or incomplete: it stops early. Upload it again.")


def _rotation_filters(rotation: int) -> list[tuple[str, str]]:
    # frame.rotation is counter-clockwise; transpose=cclock turns the picture that way.
    return {
        90: [("transpose", "cclock")],
        180: [("hflip", ""), ("vflip", "")],
        270: [("transpose", "clock")],
    }.get(rotation, [])


def _even(value: float) -> int:
    return max(2, int(value) // 2 * 2)


def rendition_size(width: int, height: int, *, max_height: int) -> tuple[int, int]:
    """Upright size scaled so the short side is at most `max_height` (720p), both even."""
    scale = min(1.0, max_height / min(width, height))
    return _even(width * scale), _even(height * scale)


def transcode(source: Path, target: Path, poster: Path, *, max_height: int = 720) -> Probe:
    """A web rendition of `source`: H.264 + AAC in MP4, faststart, upright, ≤ max_height.

    Writes a JPEG poster from the first upright frame. Returns the probe of the rendition.
    """
    try:
        inp = av.open(str(source))
    except av.error.InvalidDataError:
        raise NotAVideo(
            "This file isn't a video we can read, or it is damaged or incomplete. "
            "Choose the clip from your camera again."
        ) from None
    with inp:
        video_in = inp.streams.video[0]
        audio_in = inp.streams.audio[0] if inp.streams.audio else None
        first = next(inp.decode(video_in))
        rotation = int(round(first.rotation or 0)) % 360
        inp.seek(0)
        up_w, up_h = (
            (first.height, first.width) if rotation in (90, 270) else (first.width, first.height)
        )
        out_w, out_h = rendition_size(up_w, up_h, max_height=max_height)
        rate = Fraction(str(video_in.average_rate or video_in.guessed_rate or 30))
        if rate > 60:
            rate = Fraction(60)

        graph = Graph()
        chain = [graph.add_buffer(template=video_in)]
        for name, args in [*_rotation_filters(rotation), ("scale", f"{out_w}:{out_h}")]:
            chain.append(graph.add(name, args))
        chain.append(graph.add("format", "yuv420p"))
        chain.append(graph.add("buffersink"))
        graph.link_nodes(*chain).configure()

        with av.open(
            str(target), "w", format="mp4", container_options={"movflags": "+faststart"}
        ) as out:
            video_out = out.add_stream("libx264", rate=rate)
            video_out.width, video_out.height = out_w, out_h
            video_out.pix_fmt = "yuv420p"
            video_out.options = {"preset": "veryfast", "crf": "23"}
            audio_out = None
            resampler = None
            if audio_in is not None:
                audio_out = out.add_stream("aac", rate=48000)
                audio_out.layout = "stereo"
                resampler = av.AudioResampler(format="fltp", layout="stereo", rate=48000)
            poster_written = False
            frame_count = 0
            streams = [video_in] + ([audio_in] if audio_in is not None else [])
            for packet in inp.demux(*streams):
                try:
                    frames = packet.decode()
                except av.error.InvalidDataError:
                    continue  # a damaged packet mid-file: skip it, keep the rest
                for frame in frames:
                    if isinstance(frame, av.VideoFrame):
                        graph.vpush(frame)
                        for upright in _drain(graph):
                            if not poster_written:
                                upright.to_image().save(poster, "JPEG", quality=85)
                                poster_written = True
                            _stamp(upright, frame_count, rate)
                            frame_count += 1
                            for out_packet in video_out.encode(upright):
                                out.mux(out_packet)
                    elif isinstance(frame, av.AudioFrame) and resampler and audio_out:
                        frame.pts = None
                        for chunk in resampler.resample(frame):
                            for out_packet in audio_out.encode(chunk):
                                out.mux(out_packet)
            graph.vpush(None)
            for upright in _drain(graph):
                _stamp(upright, frame_count, rate)
                frame_count += 1
                for out_packet in video_out.encode(upright):
                    out.mux(out_packet)
            for out_packet in video_out.encode():
                out.mux(out_packet)
            if audio_out is not None:
                for out_packet in audio_out.encode():
                    out.mux(out_packet)
    if not poster_written:
        raise NotAVideo("This video has no picture we can read.")
    return probe(target, max_seconds=24 * 3600, max_dimension=max_height * 4)


def _stamp(frame: av.VideoFrame, index: int, rate: Fraction) -> None:
    # Phones record at a slightly variable rate; a steady count keeps x264's timestamps
    # strictly increasing whatever the source's jitter.
    frame.pts = index
    frame.time_base = 1 / Fraction(rate)


def _drain(graph: Graph) -> list[av.VideoFrame]:
    frames = []
    while True:
        try:
            frames.append(graph.vpull())
        except (av.error.BlockingIOError, av.error.EOFError):
            return frames
