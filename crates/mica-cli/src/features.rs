//! Which WebAssembly proposals a module uses, found by validation: a module uses a proposal
//! when it validates with every feature on but not with that one off. `mica inspect` lists
//! them; a module Mica rejects for a feature is reported by the proposal it needs.

use wasmparser::WasmFeatures;

/// A proposal as the spec repository names it (and as `--features` and
/// [`mica::Config::enable_proposal`] take it), with `wasmparser`'s flag for it.
pub struct Proposal {
    pub name: &'static str,
    pub what: &'static str,
    flag: WasmFeatures,
}

impl Proposal {
    /// Whether Mica implements the proposal at all (whether or not `--features` enables it).
    pub fn supported_by_mica(&self) -> bool {
        mica::Config::new().enable_proposal(self.name)
    }
}

macro_rules! proposals {
    ($($flag:ident $name:literal $what:literal,)*) => {
        /// Every proposal `wasmparser` can tell apart, in the order of the spec's versions.
        pub const PROPOSALS: &[Proposal] = &[
            $(Proposal { name: $name, what: $what, flag: WasmFeatures::$flag },)*
        ];
    };
}

proposals! {
    MUTABLE_GLOBAL "mutable-global" "import and export of mutable globals",
    SIGN_EXTENSION "sign-extension-ops" "sign-extension operators",
    SATURATING_FLOAT_TO_INT "nontrapping-float-to-int-conversions" "non-trapping float-to-int conversions",
    MULTI_VALUE "multi-value" "multiple results and block parameters",
    BULK_MEMORY "bulk-memory" "bulk memory and table operations",
    REFERENCE_TYPES "reference-types" "reference types and multiple tables",
    SIMD "simd" "128-bit SIMD",
    TAIL_CALL "tail-call" "tail calls",
    EXTENDED_CONST "extended-const" "extended constant expressions",
    RELAXED_SIMD "relaxed-simd" "relaxed SIMD",
    THREADS "threads" "threads: shared memories and atomics",
    MULTI_MEMORY "multi-memory" "multiple memories",
    EXCEPTIONS "exception-handling" "exception handling",
    LEGACY_EXCEPTIONS "legacy-exceptions" "legacy exception handling",
    MEMORY64 "memory64" "64-bit memories and tables",
    FUNCTION_REFERENCES "function-references" "typed function references",
    GC "gc" "garbage collection",
    CUSTOM_PAGE_SIZES "custom-page-sizes" "custom page sizes",
    WIDE_ARITHMETIC "wide-arithmetic" "wide arithmetic",
    STACK_SWITCHING "stack-switching" "stack switching",
    SHARED_EVERYTHING_THREADS "shared-everything-threads" "shared-everything threads",
    MEMORY_CONTROL "memory-control" "memory control",
    CUSTOM_DESCRIPTORS "custom-descriptors" "custom descriptors",
    ACQUIRE_RELEASE_ATOMICS "acquire-release-atomics" "acquire-release atomics",
    MULTIBYTE_ARRAY_ACCESS "multibyte-array-access" "multibyte array access",
}

/// A `--features` value: the text as given (for messages) and the configuration it means.
#[derive(Clone, Debug)]
pub struct FeatureSet {
    pub text: String,
    pub config: mica::Config,
}

/// Parses a `--features` value (see [`mica_wast::config_for`]).
pub fn parse(text: &str) -> Result<FeatureSet, String> {
    mica_wast::config_for(text).map(|config| FeatureSet { text: text.to_string(), config })
}

/// Whether `bytes` validate with `features`: `wasmparser`'s verdict, with the bound on a body's
/// validation work that Mica's loading applies, so that asking which proposals a hostile
/// module uses costs time linear in its size (`wasmparser`'s `validate_all` has no such bound:
/// a 600 KB `br_table` over blocks of 1000 results kept it busy for over a second, and this
/// asks up to 27 times).
fn validates(bytes: &[u8], features: WasmFeatures) -> Result<(), mica::Error> {
    mica::validate_with_features(bytes, features)
}

/// The proposals `bytes` uses, or the error that makes it invalid whatever is enabled (or that
/// puts it past the bound on validation work).
pub fn used(bytes: &[u8]) -> Result<Vec<&'static Proposal>, mica::Error> {
    let all = WasmFeatures::all();
    validates(bytes, all)?;
    let none = PROPOSALS.iter().fold(all, |features, p| features.difference(p.flag));
    if validates(bytes, none).is_ok() {
        return Ok(Vec::new());
    }
    Ok(PROPOSALS.iter().filter(|p| validates(bytes, all.difference(p.flag)).is_err()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(wat: &str) -> Vec<&'static str> {
        used(&wat::parse_str(wat).unwrap()).unwrap().iter().map(|p| p.name).collect()
    }

    #[test]
    fn finds_the_proposals_a_module_uses() {
        assert!(names("(module (func (result i32) (i32.const 1)))").is_empty());
        assert_eq!(
            names("(module (func (result i32 i32) (i32.const 1) (i32.const 2)))"),
            ["multi-value"]
        );
        assert_eq!(names("(module (func (result v128) (v128.const i64x2 0 0)))"), ["simd"]);
        assert_eq!(
            names(
                "(module (func $f (return_call $f)) (func (drop (i32.extend8_s (i32.const 1)))))"
            ),
            ["sign-extension-ops", "tail-call"]
        );
        assert_eq!(names("(module (memory i64 1))"), ["memory64"]);
    }

    #[test]
    fn mica_knows_which_it_implements() {
        let supported: Vec<&str> =
            PROPOSALS.iter().filter(|p| p.supported_by_mica()).map(|p| p.name).collect();
        assert!(
            supported.contains(&"tail-call") && supported.contains(&"multi-value"),
            "{supported:?}"
        );
        assert!(supported.contains(&"simd") && supported.contains(&"relaxed-simd"), "{supported:?}");
        for name in ["exception-handling", "legacy-exceptions", "function-references", "memory64"] {
            assert!(supported.contains(&name), "{name}: {supported:?}");
        }
        assert!(supported.contains(&"gc") && !supported.contains(&"threads"), "{supported:?}");
    }
}
