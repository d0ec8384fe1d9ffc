name = "numpy"
version = "1.26.4"
description = "Array computing for Python."
variants = [["python-3.9"], ["python-3.11"]]


def commands():
    env.PYTHONPATH.append("{root}/python")
