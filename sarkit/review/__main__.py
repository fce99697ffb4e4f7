"""python -m sarkit.review review CASE | decisions export|import ... (the review commands on their own)."""

from .cli import group

group()(prog_name="sarkit")
