name = "python"
version = "3.9.18"
description = "The Python interpreter (demo package; the payload is the system's)."
tools = ["python"]


def commands():
    env.PYTHONDONTWRITEBYTECODE = "1"
