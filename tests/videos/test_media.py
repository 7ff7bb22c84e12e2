"""Probing and transcoding with PyAV: every phone format ends as a playable H.264 MP4."""

import pytest

from tests.videos import clips
from training.videos import media

LIMITS = {"max_seconds": 180, "max_dimension": 4096}


def _transcode(source, tmp_path):
    rendition, poster = tmp_path / "out.mp4", tmp_path / "poster.jpg"
    result = media.transcode(source, rendition, poster, max_height=720)
    return result, rendition, poster


@pytest.mark.parametrize(
    ("make", "codec"),
    [
        (clips.h264_mp4, "h264"),
        (clips.hevc_mov, "hevc"),
        (clips.vp9_webm, "vp9"),
    ],
)
def test_each_phone_format_becomes_an_h264_mp4_with_a_poster(make, codec, clip_dir, tmp_path):
    source = make(clip_dir)
    assert media.probe(source, **LIMITS).codec == codec

    result, rendition, poster = _transcode(source, tmp_path)

    assert result.codec == "h264"
    assert result.container.startswith("mov,mp4")
    assert (result.width, result.height) == (64, 48)
    assert result.duration == pytest.approx(1.0, abs=0.15)
    assert poster.read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG


def test_the_rendition_keeps_the_sound_as_aac(clip_dir, tmp_path):
    import av

    _transcode(clips.h264_mp4(clip_dir), tmp_path)
    with av.open(str(tmp_path / "out.mp4")) as out:
        assert out.streams.audio[0].codec_context.name == "aac"


def test_the_rendition_starts_with_its_index_so_it_plays_while_downloading(clip_dir, tmp_path):
    _, rendition, _ = _transcode(clips.h264_mp4(clip_dir), tmp_path)
    data = rendition.read_bytes()
    assert 0 < data.index(b"moov") < data.index(b"mdat")


def test_a_rotated_phone_clip_is_turned_upright(clip_dir, tmp_path):
    source = clips.rotated_mp4(clip_dir)
    assert media.probe(source, **LIMITS).rotation == 90

    result, _, poster = _transcode(source, tmp_path)

    assert (result.width, result.height) == (48, 64)
    assert result.rotation == 0

    from PIL import Image

    assert Image.open(poster).size == (48, 64)


def test_a_large_clip_is_scaled_to_720p_at_most(clip_dir, tmp_path):
    source = clips.make_clip(clip_dir / "big.mp4", width=1280, height=960, seconds=0.2)
    result, _, _ = _transcode(source, tmp_path)
    assert (result.width, result.height) == (960, 720)


@pytest.mark.parametrize(
    ("width", "height", "limit", "expected"),
    [
        (1920, 1080, 720, (1280, 720)),
        (1080, 1920, 720, (720, 1280)),
        (640, 480, 720, (640, 480)),
        (3840, 2160, 720, (1280, 720)),
        (101, 75, 50, (66, 50)),
    ],
)
def test_rendition_size_keeps_the_shape_with_even_sides(width, height, limit, expected):
    assert media.rendition_size(width, height, max_height=limit) == expected


def test_probe_refuses_a_pdf_an_image_and_a_cut_off_file(clip_dir):
    good = clips.h264_mp4(clip_dir)
    faststart = clips.h264_mp4(clip_dir, name="fs.mp4", faststart=True)
    for bad in (
        clips.pdf_named_mp4(clip_dir),
        clips.png_named_mp4(clip_dir),
        clips.truncated(good, clip_dir / "cut.mp4"),
        # Index first: the header still claims the full length, the frames stop halfway.
        clips.truncated(faststart, clip_dir / "cut-fs.mp4"),
    ):
        with pytest.raises(media.NotAVideo):
            media.probe(bad, **LIMITS)


def test_probe_refuses_an_overlong_clip_with_its_length_and_the_limit(clip_dir):
    source = clips.make_clip(clip_dir / "long.mp4", seconds=2.5)
    with pytest.raises(media.NotAVideo, match="3 s long; the limit is 2 s"):
        media.probe(source, max_seconds=2, max_dimension=4096)


def test_probe_refuses_enormous_frames_before_decoding_them(clip_dir):
    source = clips.make_clip(clip_dir / "wide.mp4", width=4200, height=16, seconds=0.2)
    with pytest.raises(media.NotAVideo, match="4200×16 pixels"):
        media.probe(source, **LIMITS)


def test_transcode_refuses_frames_that_grow_past_the_cap_after_the_header(clip_dir, tmp_path):
    # The header (and the first frames) say 64×64; new parameter sets later make 4200×4200.
    source = clips.resized_midstream(clip_dir)
    assert media.probe(source, **LIMITS).width == 64

    with pytest.raises(media.NotAVideo, match="4200×4200 pixels"):
        media.transcode(
            source, tmp_path / "out.mp4", tmp_path / "poster.jpg", max_height=720, **LIMITS
        )
    assert list(tmp_path.glob("out.mp4")) == list(tmp_path.glob("poster.jpg")) == []


def test_probe_measures_the_length_of_a_webm_whose_header_says_less(clip_dir):
    source = clips.lying_webm(clip_dir, seconds=10, claims=1)
    with pytest.raises(media.NotAVideo, match="the limit is 3 s"):
        media.probe(source, max_seconds=3, max_dimension=4096)


def test_transcode_stops_at_the_length_cap_whatever_the_header_says(clip_dir, tmp_path):
    source = clips.lying_webm(clip_dir, seconds=10, claims=1)
    with pytest.raises(media.NotAVideo, match="the limit is 3 s"):
        media.transcode(
            source,
            tmp_path / "out.mp4",
            tmp_path / "poster.jpg",
            max_height=720,
            max_seconds=3,
            max_dimension=4096,
        )


def test_a_slow_motion_clip_keeps_real_time_and_its_frame_rate(clip_dir, tmp_path):
    source = clips.make_clip(clip_dir / "slowmo.mp4", width=32, height=24, seconds=2, fps=120)

    result, _, _ = _transcode(source, tmp_path)

    assert result.duration == pytest.approx(2.0, abs=0.05)
    assert result.fps == pytest.approx(120)


def test_probe_refuses_a_clip_above_240_frames_a_second(clip_dir):
    source = clips.make_clip(clip_dir / "fast.mp4", width=32, height=24, seconds=0.2, fps=300)
    with pytest.raises(media.NotAVideo, match="300 frames a second; the most we take is 240"):
        media.probe(source, **LIMITS)
