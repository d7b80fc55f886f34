"""A GTFS feed (zip) → one :class:`Record`: temporal coverage from the calendar, spatial
extent from the stops, distributions for the feed and each of its files.

Only the small files are read (agency, feed_info, calendar, calendar_dates, stops), each
with a size cap, so a huge stop_times.txt or a zip bomb cannot exhaust memory.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib

from ckanext.datenraum.harvest.extract.record import Distribution, Record

MAX_MEMBER_BYTES = 20 * 1024 * 1024
REQUIRED_FILES = ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
GTFS_FILES = frozenset(
    {
        *REQUIRED_FILES,
        "calendar.txt",
        "calendar_dates.txt",
        "fare_attributes.txt",
        "fare_rules.txt",
        "shapes.txt",
        "frequencies.txt",
        "transfers.txt",
        "pathways.txt",
        "levels.txt",
        "feed_info.txt",
        "translations.txt",
        "attributions.txt",
    }
)


# What reading one member of a hostile zip raises: a wrong size or CRC (BadZipFile), an
# encrypted member (RuntimeError), an unknown compression (NotImplementedError), a truncated
# stream (EOFError, zlib.error), a field over csv's 128 KiB limit (csv.Error).
UNREADABLE_MEMBER = (
    zipfile.BadZipFile,
    RuntimeError,
    NotImplementedError,
    EOFError,
    zlib.error,
    csv.Error,
    OSError,
)


class GTFSError(ValueError):
    """The feed is not a usable GTFS zip."""


def extract_feed(content: bytes, feed_url: str, *, title: str | None = None) -> Record:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise GTFSError(f"not a zip file: {error}") from error
    with archive:
        names = {info.filename.rsplit("/", 1)[-1]: info for info in archive.infolist()}
        missing = [name for name in REQUIRED_FILES if name not in names]
        if missing:
            raise GTFSError(f"GTFS feed lacks {', '.join(missing)}")
        if "calendar.txt" not in names and "calendar_dates.txt" not in names:
            raise GTFSError("GTFS feed lacks calendar.txt and calendar_dates.txt")

        def rows(name: str) -> list[dict]:
            info = names.get(name)
            if info is None:
                return []
            if info.file_size > MAX_MEMBER_BYTES:
                raise GTFSError(f"{name} is larger than {MAX_MEMBER_BYTES} bytes")
            try:
                text = archive.read(info).decode("utf-8-sig", errors="replace")
                return [
                    {key.strip(): (value or "").strip() for key, value in row.items() if key}
                    for row in csv.DictReader(io.StringIO(text))
                ]
            except UNREADABLE_MEMBER as error:  # wrong size, encrypted, a 128 KiB field…
                raise GTFSError(f"{name} cannot be read: {type(error).__name__}: {error}") from None

        agencies = rows("agency.txt")
        feed_info = (rows("feed_info.txt") or [{}])[0]
        start, end = extract_service_period(rows("calendar.txt"), rows("calendar_dates.txt"))
        bbox = extract_stop_extent(rows("stops.txt"))
        files = sorted(names)

    agency = agencies[0] if agencies else {}
    agency_names = list(dict.fromkeys(a["agency_name"] for a in agencies if a.get("agency_name")))
    publisher = feed_info.get("feed_publisher_name") or agency.get("agency_name")
    languages = [
        lang
        for lang in [feed_info.get("feed_lang"), *(a.get("agency_lang") for a in agencies)]
        if lang
    ]
    return Record(
        identifier=feed_info.get("feed_id") or feed_url,
        title=title or feed_title(agency_names, publisher),
        description=feed_description(agency_names or [publisher or ""], start, end, files),
        keywords=["GTFS", "ÖPNV", "Fahrplan"],
        modified=None,
        landing_page=agency.get("agency_url") or feed_info.get("feed_publisher_url") or None,
        publisher_name=publisher,
        publisher_url=feed_info.get("feed_publisher_url") or agency.get("agency_url") or None,
        contact_name=publisher,
        contact_email=feed_info.get("feed_contact_email") or agency.get("agency_email") or None,
        contact_url=feed_info.get("feed_contact_url") or agency.get("agency_url") or None,
        temporal_start=start,
        temporal_end=end,
        bbox=bbox,
        languages=list(dict.fromkeys(languages))[:1],
        # One distribution: the feed. Its files are listed in the description, not made
        # resources of their own (a feed of 3,000 files would give 3,000 resources).
        distributions=[
            Distribution(
                url=feed_url,
                title="GTFS-Feed (ZIP)",
                format="GTFS",
                media_type="application/zip",
                download=True,
            )
        ],
    )


def feed_title(agency_names: list[str], publisher: str | None) -> str:
    """ "GTFS-Fahrplandaten <agency>", or "<first> und N weitere Verkehrsunternehmen"."""
    if len(agency_names) > 1:
        return (
            f"GTFS-Fahrplandaten {agency_names[0]} und {len(agency_names) - 1} weitere "
            "Verkehrsunternehmen"
        )
    name = agency_names[0] if agency_names else publisher
    return f"GTFS-Fahrplandaten {name}".strip() if name else "GTFS-Fahrplandaten"


def feed_description(agency_names: list[str], start, end, files: list[str]) -> str:
    agencies = ", ".join(name for name in agency_names if name)
    return (
        f"Soll-Fahrplandaten im GTFS-Format, gültig von {start or '?'} bis {end or '?'}.\n\n"
        f"Verkehrsunternehmen ({len(agency_names)}): {agencies}.\n\n"
        f"Dateien im Feed ({len(files)}): {_file_list(files)}."
    )


MAX_LISTED_FILES = 30


def _file_list(files: list[str]) -> str:
    """The feed's files for its description: the GTFS files first, at most 30 named (a zip of
    3,000 members must not become a description of 3,000 names)."""
    ordered = sorted(files, key=lambda name: (name not in GTFS_FILES, name))
    listed = ", ".join(ordered[:MAX_LISTED_FILES])
    rest = len(ordered) - MAX_LISTED_FILES
    return f"{listed} und {rest} weitere" if rest > 0 else listed


def extract_service_period(
    calendar: list[dict], calendar_dates: list[dict]
) -> tuple[str | None, str | None]:
    """First and last service day (ISO dates) over calendar and added calendar dates."""
    days = []
    for row in calendar:
        days += [row.get("start_date", ""), row.get("end_date", "")]
    days += [row.get("date", "") for row in calendar_dates if row.get("exception_type") == "1"]
    days = sorted(day for day in days if len(day) == 8 and day.isdigit())
    if not days:
        return None, None
    return _iso(days[0]), _iso(days[-1])


def extract_stop_extent(stops: list[dict]) -> tuple[float, float, float, float] | None:
    """Bounding box (west, south, east, north) of all stops with valid coordinates."""
    points = []
    for stop in stops:
        try:
            lat, lon = float(stop["stop_lat"]), float(stop["stop_lon"])
        except (KeyError, ValueError):
            continue
        if -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0.0, 0.0):
            points.append((lon, lat))
    if not points:
        return None
    lons, lats = zip(*points, strict=True)
    return (min(lons), min(lats), max(lons), max(lats))


def _iso(day: str) -> str:
    return f"{day[:4]}-{day[4:6]}-{day[6:]}"
