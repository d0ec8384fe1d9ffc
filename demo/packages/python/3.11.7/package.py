name = "python"
version = "3.11.7"
description = "The Python interpreter (demo package; the payload is the system's)."
tools = ["python"]


def commands():
    env.PYTHONDONTWRITEBYTECODE = "1"
