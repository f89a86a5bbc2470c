"""Solvers shipped with arc-eval; each module registers its solvers with ``@solver``."""
