name = "numpy"
version = "2.0.1"
description = "Array computing for Python."
variants = [["python-3.11"]]


def commands():
    env.PYTHONPATH.append("{root}/python")
