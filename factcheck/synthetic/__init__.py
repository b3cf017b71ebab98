"""A synthetic fact-check archive for benchmarks: `factcheck demo generate`.

Not a service: benchmark tooling, kept out of ``factcheck.services``.
``archive`` runs the generation (one function per workflow status a claim can
end in), ``reference`` writes the staff, speakers, sources and tags around the
claims, ``words`` makes the invented text from the lists in ``words.json``,
and ``writer`` inserts rows in batches.
"""

from __future__ import annotations

from .archive import MAX_CLAIMS, claims_exist, generate_archive
from .writer import Counts

__all__ = ["MAX_CLAIMS", "Counts", "claims_exist", "generate_archive"]
