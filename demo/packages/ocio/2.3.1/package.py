name = "ocio"
version = "2.3.1"
description = "OpenColorIO: colour management."


def commands():
    env.OCIO = "{root}/config/config.ocio"
    env.LD_LIBRARY_PATH.append("{root}/lib")
