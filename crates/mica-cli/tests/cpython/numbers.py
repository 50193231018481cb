# numpy, deterministic results only.
import numpy as np
a = np.arange(12, dtype=np.float64).reshape(3, 4)
print("numpy", a.sum(), a.mean(axis=0).tolist(), (a @ a.T).trace())
print("linalg", np.round(np.linalg.solve(np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([9.0, 8.0])), 6).tolist())
spectrum = np.abs(np.fft.rfft(np.sin(np.linspace(0, 8 * np.pi, 64, endpoint=False))))
print("fft peak", int(spectrum.argmax()), round(float(spectrum.max()), 6))
print("cumsum", np.cumsum(np.arange(1, 6)).tolist(), np.sort(np.array([3, 1, 2]))[::-1].tolist())
m = np.array([[2.0, 0.0], [0.0, 3.0]])
print("eig", sorted(np.linalg.eigvals(m).real.tolist()), float(np.linalg.det(m)))
