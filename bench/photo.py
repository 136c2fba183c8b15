"""The photo job on a phone-sized photo, beside the plain way of doing the same, in the same run.

A 24-megapixel (6000x4000), about 10 MB JPEG with EXIF orientation 6 and GPS, as a phone takes
it (made once and cached in the temp folder), then the median of BENCH_RUNS runs (default 7,
alternating, after one warm-up each) of:

  ours      domain.photos.process_photo: photo at 2048 px and a 320 px thumbnail
  baseline  Image.open -> ImageOps.exif_transpose (decodes all 24 MP) -> resize to 2048 px with
            Lanczos -> save JPEG with the same settings (no thumbnail). Ours shrinks the
            half-size draft with bicubic, as Pillow's thumbnail() does (domain.photos.PHOTO_FILTER)

Both clocks are printed: wall time, and this process's CPU time, which other processes on a
shared machine disturb less (all the work is single-threaded, so on an idle machine the two
agree). Target: ours <= 0.45x baseline.

Then peak memory, each in a fresh interpreter: the job's peak RSS (VmHWM in /proc/self/status,
Linux) minus the same interpreter's peak after its imports, so the 10 MB input counts. Not
getrusage's ru_maxrss: a child inherits its parent's figure across fork and exec. Not
tracemalloc: Pillow allocates pixels with its own malloc, which tracemalloc does not see.
Target: <= 120 MB. It prints and never asserts.

Run: .venv/bin/python bench/photo.py
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter, process_time

from PIL import Image, ImageOps

from domain.photos import process_photo

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
SIZE = (6000, 4000)
LONG_EDGE = 2048
CACHE = Path(tempfile.gettempdir()) / "familybook-bench" / "photo-6000x4000-q92-v1.jpg"
TIME_TARGET = 0.45
MEMORY_TARGET_MB = 120

MEMORY_CHILD = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import bench.photo as bench
def status(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB to MB
before = status("VmHWM")
data = Path(sys.argv[2]).read_bytes()
getattr(bench, sys.argv[1])(data)
print(json.dumps({"before": before, "peak": status("VmHWM")}))
"""


def source_photo() -> bytes:
    """The test photo: gradients under grain, so it weighs what a real one does; cached."""
    if CACHE.exists():
        return CACHE.read_bytes()
    grain = Image.effect_noise(SIZE, 19)
    red = Image.blend(Image.linear_gradient("L").resize(SIZE), grain, 0.5)
    green = Image.blend(Image.radial_gradient("L").resize(SIZE), grain, 0.5)
    exif = Image.Exif()
    exif[0x0112] = 6  # held sideways, as phones store portrait photos
    exif.get_ifd(0x8825).update({1: "N", 2: (25.0, 2.0, 3.0), 3: "E", 4: (121.0, 33.0, 4.0)})
    out = io.BytesIO()
    Image.merge("RGB", (red, green, grain)).save(out, "JPEG", quality=92, exif=exif)
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_bytes(out.getvalue())
    return out.getvalue()


def ours(data: bytes) -> bytes:
    """The job's work: processed photo and thumbnail."""
    return process_photo(data, long_edge=LONG_EDGE).photo


def baseline(data: bytes) -> bytes:
    """The plain way: full decode in exif_transpose, then resize and save."""
    with Image.open(io.BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image)
    scale = LONG_EDGE / max(upright.size)
    size = (round(upright.width * scale), round(upright.height * scale))
    out = io.BytesIO()
    upright.resize(size, Image.Resampling.LANCZOS).save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def timings(data: bytes) -> dict[tuple[str, str], list[float]]:
    """Wall and CPU seconds per run of each, alternating so both see the same machine load."""
    found: dict[tuple[str, str], list[float]] = {}
    for run in range(RUNS + 1):
        for name, job in (("ours", ours), ("baseline", baseline)):
            wall, cpu = perf_counter(), process_time()
            job(data)
            if run:  # the first round is the warm-up
                found.setdefault((name, "wall"), []).append(perf_counter() - wall)
                found.setdefault((name, "cpu"), []).append(process_time() - cpu)
    return found


def report_time(found: dict[tuple[str, str], list[float]], clock: str) -> None:
    """Print both medians by one clock, their ratio and whether the target is met."""
    ours_s = statistics.median(found["ours", clock])
    base_s = statistics.median(found["baseline", clock])
    ratio = ours_s / base_s
    verdict = "met" if ratio <= TIME_TARGET else "missed"
    print(
        f"{clock:>4} median of {RUNS}: ours {ours_s * 1000:.0f} ms, baseline "
        f"{base_s * 1000:.0f} ms, ratio {ratio:.3f}x (target <= {TIME_TARGET}x): target {verdict}"
    )


def peak_memory_mb(job: str) -> tuple[float, float]:
    """The job's peak RSS above a fresh interpreter's after imports, and that interpreter's RSS."""
    root = str(Path(__file__).resolve().parent.parent)
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_CHILD, job, str(CACHE), root],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(result.stdout)
    return figures["peak"] - figures["before"], figures["before"]


def main() -> None:
    """Measure and print; never assert."""
    data = source_photo()
    with Image.open(io.BytesIO(data)) as image:
        print(f"source: {image.size[0]}x{image.size[1]}, {len(data) / 1e6:.1f} MB ({CACHE})")
    result = process_photo(data, long_edge=LONG_EDGE)
    print(
        f"output: {result.width}x{result.height}, {len(result.photo) / 1e6:.2f} MB photo, "
        f"{len(result.thumbnail) / 1e3:.1f} kB thumbnail"
    )
    found = timings(data)
    report_time(found, "wall")
    report_time(found, "cpu")
    job_mb, interpreter_mb = peak_memory_mb("ours")
    base_mb, _ = peak_memory_mb("baseline")
    print(
        f"peak memory: ours {job_mb:.0f} MB, baseline {base_mb:.0f} MB "
        f"(above an interpreter of {interpreter_mb:.0f} MB after imports)"
    )
    verdict = "met" if job_mb <= MEMORY_TARGET_MB else "missed"
    print(f"memory (target <= {MEMORY_TARGET_MB} MB): target {verdict}")


if __name__ == "__main__":
    main()
