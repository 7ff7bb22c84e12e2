"""Reading and converting clips with PyAV. No Django here: paths in, facts or files out.

Every function raises NotAVideo with a sentence for the athlete when the file is not a
clip we can use, so callers never show FFmpeg's own wording.
"""

import math
import os
from collections import deque
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
# Phones film slow motion at 120 or 240 frames a second; the web copy keeps every frame so a
# coach can step through it. Above this a clip is refused rather than made into hours of video.
MAX_FPS = 240
# A measured length may pass the cap by a frame's duration or a last audio packet.
LENGTH_SLACK = 0.5  # seconds
# A rendition's own timestamps: fine enough for any frame rate up to MAX_FPS and its jitter.
RENDITION_TIME_BASE = Fraction(1, 90000)
# Decoder and encoder threads each: bounded, because every thread's stack and buffers count
# against the memory ceiling the clip is decoded under, whatever the machine's core count.
THREADS = min(4, os.cpu_count() or 1)


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


def _size_refused(width: int, height: int, max_dimension: int) -> NotAVideo:
    return NotAVideo(
        f"This video is {width}×{height} pixels; the largest we take is "
        f"{max_dimension} pixels a side. Film in 4K or less."
    )


def _length_refused(seconds: float, max_seconds: float) -> NotAVideo:
    return NotAVideo(
        f"This video is {_minutes(seconds)} long; the limit is {_minutes(max_seconds)}. "
        "Trim it to the set and upload it again."
    )


def _fps_refused(fps: float, max_fps: int) -> NotAVideo:
    return NotAVideo(
        f"This video is filmed at {round(fps)} frames a second; the most we take is {max_fps}. "
        f"Export the clip at {max_fps} frames a second or less and upload it again."
    )


def _guard_decoder(stream: av.video.stream.VideoStream, max_dimension: int) -> None:
    """The decoder refuses to allocate a picture above the cap's area, whatever the header
    said: new parameter sets mid-stream can announce a far larger picture than the first."""
    stream.codec_context.options = {"max_pixels": str(max_dimension * max_dimension)}
    stream.codec_context.thread_count = THREADS


def _check_frame(width: int, height: int, *, max_dimension: int) -> None:
    if max(width, height) > max_dimension:
        raise _size_refused(width, height, max_dimension)


def _check_decoder_size(stream: av.video.stream.VideoStream, max_dimension: int) -> None:
    """After a decoding error: was it a picture above the cap (refused by max_pixels)?"""
    context = stream.codec_context
    _check_frame(context.width or 0, context.height or 0, max_dimension=max_dimension)


def probe(path: Path, *, max_seconds: float, max_dimension: int, max_fps: int = MAX_FPS) -> Probe:
    """What the clip is, after checking that it is a whole, playable video within the caps.

    The length is measured from the packets, not only read from the header, which can say less.
    """
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
        _check_frame(width, height, max_dimension=max_dimension)
        duration = _container_duration(container)
        if duration <= 0:
            raise NotAVideo("This video has no length we can read. Film the set again.")
        if duration > max_seconds:
            raise _length_refused(duration, max_seconds)
        rate = stream.average_rate or stream.guessed_rate or Fraction(30)
        if rate > max_fps * 1.01:
            raise _fps_refused(float(rate), max_fps)
        _guard_decoder(stream, max_dimension)
        rotation = _first_frame_rotation(container, stream, max_dimension)
        measured, packets = _check_complete(container, stream, duration)
        if measured > max_seconds + LENGTH_SLACK:
            raise _length_refused(measured, max_seconds)
        if measured > 0 and packets > max_fps * (measured + 1):
            raise _fps_refused(packets / measured, max_fps)
        return Probe(
            duration=round(max(duration, measured), 3),
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
    container: av.container.InputContainer,
    stream: av.video.stream.VideoStream,
    max_dimension: int,
) -> int:
    try:
        frame = next(container.decode(stream))
    except MemoryError:
        raise  # not the file's damage: the caller's memory ceiling
    except (av.error.FFmpegError, StopIteration):
        _check_decoder_size(stream, max_dimension)
        raise NotAVideo(
            "This video is damaged or incomplete: its first picture can't be read."
        ) from None
    _check_frame(frame.width, frame.height, max_dimension=max_dimension)
    return int(round(frame.rotation or 0)) % 360


def _check_complete(
    container: av.container.InputContainer, stream: av.video.stream.VideoStream, duration: float
) -> tuple[float, int]:
    """A cut-off upload keeps its header's full duration: the packets must reach it too.

    Returns the length the video packets span and how many there are (reading packets
    decodes nothing, so this is cheap even for a long clip).
    """
    container.seek(0)
    last_end = 0.0
    packets = 0
    try:
        for packet in container.demux(stream):
            if packet.pts is None or packet.time_base is None:
                continue
            packets += 1
            end = float((packet.pts + (packet.duration or 0)) * packet.time_base)
            last_end = max(last_end, end)
    except av.error.FFmpegError:
        raise NotAVideo("This video is damaged or incomplete. Upload it again.") from None
    start = float(stream.start_time * stream.time_base) if stream.start_time else 0.0
    if last_end - start < duration * COMPLETE_SHARE:
        raise NotAVideo("This video is damaged or incomplete: it stops early. Upload it again.")
    return last_end - start, packets


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


def transcode(
    source: Path,
    target: Path,
    poster: Path,
    *,
    max_height: int = 720,
    max_seconds: float = 180,
    max_dimension: int = 4096,
    max_fps: int = MAX_FPS,
) -> Probe:
    """A web rendition of `source`: H.264 + AAC in MP4, faststart, upright, ≤ max_height.

    Writes a JPEG poster from the first upright frame. Returns the probe of the rendition.
    The caps are checked again on what is decoded, not on what the header says: every
    picture's size, the length from the frames' own timestamps (decoding stops at the
    cap) and the frame rate. A refused clip leaves neither rendition nor poster behind.
    """
    try:
        return _transcode(
            source,
            target,
            poster,
            max_height=max_height,
            max_seconds=max_seconds,
            max_dimension=max_dimension,
            max_fps=max_fps,
        )
    except BaseException:
        target.unlink(missing_ok=True)
        poster.unlink(missing_ok=True)
        raise


def _transcode(
    source: Path,
    target: Path,
    poster: Path,
    *,
    max_height: int,
    max_seconds: float,
    max_dimension: int,
    max_fps: int,
) -> Probe:
    try:
        inp = av.open(str(source))
    except (av.error.FFmpegError, UnicodeDecodeError, OSError):
        raise NotAVideo(
            "This file isn't a video we can read, or it is damaged or incomplete. "
            "Choose the clip from your camera again."
        ) from None
    with inp:
        if not inp.streams.video:
            raise NotAVideo("This file isn't a video. Choose a clip from your camera.")
        video_in = inp.streams.video[0]
        audio_in = inp.streams.audio[0] if inp.streams.audio else None
        rate = Fraction(str(video_in.average_rate or video_in.guessed_rate or 30))
        if rate > max_fps * 1.01:
            raise _fps_refused(float(rate), max_fps)
        _guard_decoder(video_in, max_dimension)
        try:
            first = next(inp.decode(video_in))
        except MemoryError:
            raise
        except (av.error.FFmpegError, StopIteration):
            _check_decoder_size(video_in, max_dimension)
            raise NotAVideo("This video has no picture we can read.") from None
        _check_frame(first.width, first.height, max_dimension=max_dimension)
        rotation = int(round(first.rotation or 0)) % 360
        inp.seek(0)
        up_w, up_h = (
            (first.height, first.width) if rotation in (90, 270) else (first.width, first.height)
        )
        out_w, out_h = rendition_size(up_w, up_h, max_height=max_height)

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
            # Real-time stamps in a fine time base: a 120 fps clip stays as long as it was
            # filmed, every frame kept, instead of turning into slow motion at a fixed rate.
            video_out.time_base = RENDITION_TIME_BASE
            video_out.options = {"preset": "veryfast", "crf": "23", "threads": str(THREADS)}
            audio_out = None
            resampler = None
            if audio_in is not None:
                audio_out = out.add_stream("aac", rate=48000)
                audio_out.layout = "stereo"
                resampler = av.AudioResampler(format="fltp", layout="stereo", rate=48000)
            clock = _Clock(rate=rate, max_seconds=max_seconds, max_fps=max_fps)
            poster_written = False
            streams = [video_in] + ([audio_in] if audio_in is not None else [])
            for packet in inp.demux(*streams):
                try:
                    frames = packet.decode()
                except av.error.InvalidDataError:
                    if packet.stream is video_in:
                        _check_decoder_size(video_in, max_dimension)
                    continue  # a damaged packet mid-file: skip it, keep the rest
                for frame in frames:
                    if isinstance(frame, av.VideoFrame):
                        _check_frame(frame.width, frame.height, max_dimension=max_dimension)
                        clock.tick(frame)
                        graph.vpush(frame)
                        for upright in _drain(graph):
                            if not poster_written:
                                upright.to_image().save(poster, "JPEG", quality=85)
                                poster_written = True
                            clock.stamp(upright)
                            for out_packet in video_out.encode(upright):
                                out.mux(out_packet)
                    elif isinstance(frame, av.AudioFrame) and resampler and audio_out:
                        frame.pts = None
                        for chunk in resampler.resample(frame):
                            for out_packet in audio_out.encode(chunk):
                                out.mux(out_packet)
            graph.vpush(None)
            for upright in _drain(graph):
                clock.stamp(upright)
                for out_packet in video_out.encode(upright):
                    out.mux(out_packet)
            for out_packet in video_out.encode():
                out.mux(out_packet)
            if audio_out is not None:
                for out_packet in audio_out.encode():
                    out.mux(out_packet)
    if not poster_written:
        raise NotAVideo("This video has no picture we can read.")
    # The rendition is our own file: its limits only guard against a bug here.
    return probe(target, max_seconds=24 * 3600, max_dimension=max_height * 4, max_fps=max_fps * 2)


class _Clock:
    """The decoded frames' real times: measured against the caps, then given to the encoder.

    Timestamps come from the frames themselves, not the header; a frame without one (or
    one that does not move forward) is placed one frame interval after the last.
    """

    def __init__(self, *, rate: Fraction, max_seconds: float, max_fps: int) -> None:
        self.interval = 1 / float(rate)
        self.max_seconds = max_seconds
        self.max_fps = max_fps
        self.start: float | None = None
        self.last = -math.inf
        self.count = 0
        self.pending: deque[float] = deque()

    def tick(self, frame: av.VideoFrame) -> None:
        """Record a decoded frame's time; refuse the clip once it runs past a cap."""
        time = frame.time
        if self.start is None:
            self.start = time if time is not None else 0.0
        elapsed = time - self.start if time is not None else self.last + self.interval
        if elapsed <= self.last:
            elapsed = self.last + self.interval
        self.last = elapsed
        self.count += 1
        if elapsed > self.max_seconds + LENGTH_SLACK:
            raise NotAVideo(
                f"This video is over {_minutes(self.max_seconds)} long; the limit is "
                f"{_minutes(self.max_seconds)}. Trim it to the set and upload it again."
            )
        if self.count > self.max_fps * (elapsed + 1):
            raise _fps_refused(self.count / max(elapsed, self.interval), self.max_fps)
        self.pending.append(elapsed)

    def stamp(self, frame: av.VideoFrame) -> None:
        # The filters give one upright frame for each decoded one, in order.
        elapsed = self.pending.popleft() if self.pending else self.last
        frame.pts = round(elapsed / RENDITION_TIME_BASE)
        frame.time_base = RENDITION_TIME_BASE


def _drain(graph: Graph) -> list[av.VideoFrame]:
    frames = []
    while True:
        try:
            frames.append(graph.vpull())
        except (av.error.BlockingIOError, av.error.EOFError):
            return frames
