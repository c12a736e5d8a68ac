"""The import's spool: each decided event as the parts the write pass stores (ADR 0012).

The validation pass serialises each event once into its stored parts (``mapper.Parts``) and
its idempotency digest's input; the write pass seals, digests and stores those bytes as they
are, without parsing or serialising the event again. One line per event, tab-separated: the
import line, whether the line gave recorded_at, type, stream, version, id, handle, the
timestamp's JSON (empty: stamped when written), the digest's input, the clear body and the
personal fields' JSON (empty: none), and the other contacts an interaction names
(space-separated). Pydantic's JSON holds no raw tab or newline, and ids and handles hold
neither, nor spaces.
"""

from __future__ import annotations

from typing import IO, Iterator, NamedTuple
from uuid import UUID

from ledger import events as ev
from ledger.mapper import Parts, parts_of
from ledger.state import digest_input


class Spooled(NamedTuple):
    """One decided event, as the write pass reads it back."""

    line: int
    given: bool  # the line gave recorded_at (else the event is stamped when written)
    digest_input: bytes
    parts: Parts


def put(spool: IO[bytes], line: int, given: bool, event: ev.RecordedEvent) -> None:
    """Spool one decided event."""
    p = parts_of(event, timestamp=given)
    spool.write(b"%d\t%d\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" % (
        line, given, event.type.encode(), p.stream.hex.encode(), p.version, p.id.encode(),
        (p.handle or "").encode(), p.timestamp, digest_input(event), p.body, p.plain or b"", " ".join(p.named).encode()))


def read(spool: IO[bytes]) -> Iterator[Spooled]:
    """The spooled events, in order."""
    classes = {t.encode(): cls for t, cls in ev.EVENT_TYPES.items()}
    streams: dict[bytes, UUID] = {}
    spool.seek(0)
    for raw in spool:
        line, given, kind, stream, version, event_id, handle, stamp, digest, body, plain, named = raw[:-1].split(b"\t")
        if (uuid := streams.get(stream)) is None:
            uuid = streams[stream] = UUID(stream.decode())
            if len(streams) > 100_000:
                streams.clear()
        yield Spooled(int(line), given == b"1", digest, Parts(
            classes[kind], uuid, int(version), event_id.decode(), handle.decode() or None, stamp, body, plain or None,
            tuple(named.decode().split())))
