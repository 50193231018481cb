//! Backtraces: each frame names the module offset of its instruction, and a trap in a deep
//! recursion records a bounded number of frames.

use mica::{Config, Engine, Instance, Module, Store, Trap, TranslationMode};

fn instantiate(mode: TranslationMode, wat: &str) -> (Vec<u8>, Store<()>, Instance) {
    let binary = wat::parse_str(wat).expect("valid text");
    let mut config = Config::default();
    config.translation(mode);
    let engine = Engine::new(&config);
    let module = Module::from_binary(&engine, &binary).expect("loads");
    let mut store = Store::new(&engine, ());
    let instance = mica::Linker::new(&engine).instantiate(&mut store, &module).expect("instantiates");
    (binary, store, instance)
}

fn trap_of(error: &mica::Error) -> &Trap {
    error.as_trap().expect("a trap")
}

#[test]
fn frames_name_the_offset_of_their_instruction() {
    for mode in [TranslationMode::Eager, TranslationMode::Lazy] {
        let (binary, mut store, instance) = instantiate(
            mode,
            r#"(module
                 (func $div (param i32) (result i32) i32.const 7 local.get 0 i32.div_s)
                 (func (export "run") (param i32) (result i32) local.get 0 call $div))"#,
        );
        let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
        assert_eq!(run.call(&mut store, 7).unwrap(), 1);
        let error = run.call(&mut store, 0).unwrap_err();
        let trap = trap_of(&error);
        let frames = trap.backtrace();
        assert_eq!(frames.len(), 2, "{frames:?}");
        let at = |i: usize| binary[frames[i].module_offset.expect("an offset")];
        assert_eq!(at(0), 0x6d, "frame 0 is at the i32.div_s ({mode:?})");
        assert_eq!(at(1), 0x10, "frame 1 is at the call ({mode:?})");
        assert!(frames[0].to_string().starts_with("0x"), "{}", frames[0]);
    }
}

#[test]
fn a_deep_recursion_records_a_bounded_backtrace() {
    for mode in [TranslationMode::Eager, TranslationMode::Lazy] {
        let (_, mut store, instance) = instantiate(
            mode,
            r#"(module
                 (func $rec (param i32) (result i32) local.get 0 i32.const 1 i32.add call $rec)
                 (func (export "run") (result i32) i32.const 0 call $rec))"#,
        );
        let run = instance.get_typed_func::<(), i32>(&store, "run").unwrap();
        let error = run.call(&mut store, ()).unwrap_err();
        let trap = trap_of(&error);
        assert_eq!(trap.code(), mica::TrapCode::StackOverflow);
        let frames = trap.backtrace();
        assert_eq!(frames.len(), Trap::MAX_BACKTRACE);
        assert!(trap.omitted_frames() > 1000, "{} omitted", trap.omitted_frames());
        assert_eq!(frames.last().unwrap().func_index, 1, "the outermost frame is `run`");
        assert!(frames[..frames.len() - 1].iter().all(|f| f.func_index == 0));
    }
}

#[test]
fn names_cannot_forge_frames_or_send_escapes() {
    let binary = wat::parse_str("(module (func (export \"run\") unreachable))").unwrap();
    // A name section naming function 0 with a newline and a terminal escape.
    let name = b"x\n  1: \x1b[31m";
    let mut body = vec![1u8, 0u8, name.len() as u8];
    body.extend_from_slice(name);
    let mut section = vec![4u8];
    section.extend_from_slice(b"name");
    section.push(1);
    section.push(body.len() as u8);
    section.extend(body);
    let mut evil = binary;
    evil.push(0);
    evil.push(section.len() as u8);
    evil.extend(section);
    let engine = Engine::default();
    let module = Module::from_binary(&engine, &evil).expect("loads");
    let mut store = Store::new(&engine, ());
    let instance = mica::Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let run = instance.get_typed_func::<(), ()>(&store, "run").unwrap();
    let error = run.call(&mut store, ()).unwrap_err();
    let frame = trap_of(&error).backtrace()[0].to_string();
    assert!(frame.contains('x'), "{frame:?}");
    assert!(!frame.contains('\n') && !frame.contains('\x1b'), "{frame:?}");
}
