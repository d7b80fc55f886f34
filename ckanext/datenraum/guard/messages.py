"""The guard's error messages, in the language of the request (German and English catalogues)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.datenraum.guard.checks import Problem


def problem_message(problem: Problem) -> str:
    if problem.kind == "bytes":
        return tk._(
            "Too large for the search index: at most {limit} bytes in UTF-8 (this value has "
            "{length})"
        ).format(limit=problem.limit, length=problem.length)
    if problem.kind == "length":
        return tk._("Must be at most {limit} characters long (this value has {length})").format(
            limit=f"{problem.limit:,}".replace(",", "."),
            length=f"{problem.length:,}".replace(",", "."),
        )
    return tk._(
        "Contains a character that cannot be stored ({code_point} at position {position}); "
        "please remove it"
    ).format(code_point=problem.code_point, position=problem.position)


def nesting_message(limit: int) -> str:
    return tk._("Nested more than {limit} levels deep").format(limit=limit)
