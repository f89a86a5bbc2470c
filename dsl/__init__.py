"""The grid DSL: typed primitives in one table, programs as trees, a parser, an interpreter.

Primitive families (``dsl.geometry``, ``dsl.colour``, ...) register themselves in
:mod:`dsl.registry`; :func:`primitives` loads them all.
"""

from dsl.generator import Sampler, random_program, random_programs
from dsl.interpreter import Result, TaskRun, conforms, run, run_checked, run_on_task, type_check
from dsl.library import (
    Coverage,
    ProgramFileError,
    check_program_on_task,
    check_programs,
    coverage,
    coverage_of,
    load_program_file,
    load_programs,
)
from dsl.program import (
    INPUT,
    Call,
    Expr,
    Input,
    Literal,
    Program,
    ProgramSyntaxError,
    ProgramTypeError,
    depth,
    format_program,
    format_straight_line,
    parse,
    primitives_used,
    program_type,
    size,
    subexpressions,
    uses_input,
)
from dsl.registry import Primitive, get, literal_domain, primitive, primitives
from dsl.rewrite import mutate, simplify
from dsl.types import LITERAL_TYPES, T

__all__ = [
    "INPUT",
    "LITERAL_TYPES",
    "Call",
    "Coverage",
    "Expr",
    "Input",
    "Literal",
    "Primitive",
    "Program",
    "ProgramFileError",
    "ProgramSyntaxError",
    "ProgramTypeError",
    "Result",
    "Sampler",
    "T",
    "TaskRun",
    "check_program_on_task",
    "check_programs",
    "conforms",
    "coverage",
    "coverage_of",
    "depth",
    "format_program",
    "format_straight_line",
    "get",
    "literal_domain",
    "load_program_file",
    "load_programs",
    "mutate",
    "parse",
    "primitive",
    "primitives",
    "primitives_used",
    "program_type",
    "random_program",
    "random_programs",
    "run",
    "run_checked",
    "run_on_task",
    "simplify",
    "size",
    "subexpressions",
    "type_check",
    "uses_input",
]
