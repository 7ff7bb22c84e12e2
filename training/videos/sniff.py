"""Does a file start like a video container? Checked on the first bytes of an upload, so a
file that is plainly something else is refused before the rest of it is sent.

Only a first look: the full check (PyAV opens and probes the whole file) still runs when the
upload is complete. No Django imports.
"""

# Enough bytes to tell: a box size (4) and type (4), or RIFF (4), its size (4) and "AVI ".
HEAD_BYTES = 12

# ISO base media (MP4, M4V, 3GP) and QuickTime (MOV): the file is a list of boxes, each a
# 4-byte size followed by its type. Phones write `ftyp` first; older QuickTime files may
# start with one of the others.
_ISO_FIRST_BOXES = {b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
# Matroska and WebM: the EBML header's ID.
_EBML = b"\x1a\x45\xdf\xa3"


def looks_like_video(head: bytes) -> bool:
    """True when `head` (the first HEAD_BYTES of a file, or all of a shorter one) begins
    like MP4, MOV, 3GP, Matroska, WebM or AVI."""
    if head.startswith(_EBML):
        return True
    if len(head) >= 8 and head[4:8] in _ISO_FIRST_BOXES:
        return True
    return head.startswith(b"RIFF") and head[8:12] == b"AVI "
