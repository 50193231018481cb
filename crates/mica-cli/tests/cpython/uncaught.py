# An exception nothing catches: a traceback on stderr and a non-zero status.
print("before")
def inner():
    raise RuntimeError("nobody catches this")
inner()
print("never")
