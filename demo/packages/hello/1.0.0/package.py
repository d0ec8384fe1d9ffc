name = "hello"
version = "1.0.0"
description = "A demo tool that greets you from inside a resolved environment."
authors = ["pkg developers"]
requires = ["python-3.9+", "numpy-1.26+", "~ocio-2"]
tools = ["hello"]


def commands():
    env.PATH.append("{root}/bin")
    env.HELLO_GREETING = "hello from {this.name}-{this.version}"
    alias("hi", "hello")
