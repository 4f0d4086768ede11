"""Distance-lesson rebuild and SanPiN compliance planner for Russian schools and colleges."""

__version__ = "0.1.0"
