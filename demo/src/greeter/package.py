name = "greeter"
version = "1.0.0"
description = "A demo source package: a greet script, one variant per Python."
authors = ["pkg developers"]

variants = [["python-3.9"], ["python-3.11"]]

build_command = "bash {root}/build.sh"


def commands():
    env.PATH.append("{root}/bin")
