# Arithmetic, strings, exceptions, recursion and a few standard modules.
import sys, math, json, re, collections
print("arith", 2**100, 7 / 3, math.factorial(30), sum(range(10**6)), divmod(-7, 2), 0.1 + 0.2)
s = "héllo wörld"
print("strings", s.upper(), s[::-1], len(s.encode()), " ".join(sorted(s.split())), f"{math.pi:.10f}")
try:
    {}["missing"]
except KeyError as e:
    print("caught KeyError", e)
class Boom(Exception):
    pass
def fail(n):
    if n == 0:
        raise Boom("from 200 frames down")
    return fail(n - 1)
try:
    fail(200)
except Boom as e:
    print("caught Boom:", e)
try:
    1 / 0
except ZeroDivisionError as e:
    print("caught", type(e).__name__, e)
try:
    try:
        int("x")
    finally:
        print("finally ran")
except ValueError as e:
    print("caught ValueError:", e)
sys.setrecursionlimit(20000)
def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)
print("recursion", depth(5000))
print("json", json.dumps({"a": [1, 2, {"b": None}], "c": "é"}, sort_keys=True))
print("re", re.findall(r"\d+", "a1b22c333"), re.sub(r"(\w)(\w*)", lambda m: m[1].upper() + m[2], "hello big world"))
print("counter", collections.Counter("mississippi").most_common(2))
print("sorted", sorted(["pear", "Apple", "fig"], key=str.lower), list(reversed(range(5))))
print("gen", sum(x * x for x in range(1000) if x % 3 == 0))
