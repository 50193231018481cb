//! The untyped 64-bit cell that the interpreter keeps values in (its value stack, globals,
//! tables, constant pools), and references as cells. A leaf module: the translator and the
//! executor both use it, and it depends on neither (nor on the store).

/// One value-stack cell. Every scalar and reference fits in one cell; a future `v128` takes two
/// adjacent cells, addressed by its first.
pub(crate) type Cell = u64;

/// The null reference, as a cell.
pub(crate) const NULL_REF: Cell = 0;

/// The store index a non-null reference cell points at.
pub(crate) fn ref_index(cell: Cell) -> Option<u32> {
    if cell == NULL_REF { None } else { Some((cell - 1) as u32) }
}

/// A reference cell for the store entity at `index`.
pub(crate) fn ref_cell(index: u32) -> Cell {
    index as Cell + 1
}
