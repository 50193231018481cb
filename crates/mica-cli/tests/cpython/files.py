# File I/O in the preopened directory /work.
import errno, os
with open("/work/out.txt", "w") as f:
    f.write("line one\nline two\n")
with open("/work/out.txt", "a") as f:
    f.write("line three\n")
with open("/work/out.txt") as f:
    lines = f.read().splitlines()
print("lines", lines)
os.mkdir("/work/sub")
with open("/work/sub/data.bin", "wb") as f:
    f.write(bytes(range(256)))
print("size", os.path.getsize("/work/sub/data.bin"))
print("listdir", sorted(os.listdir("/work")))
os.rename("/work/out.txt", "/work/sub/moved.txt")
print("after rename", sorted(os.listdir("/work/sub")))
try:
    open("/work/nope.txt")
except FileNotFoundError as e:
    print("FileNotFoundError", e.errno == errno.ENOENT)
try:
    open("/etc/passwd")
except OSError as e:
    print("outside the sandbox: refused")
