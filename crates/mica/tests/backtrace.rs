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

/// A trapping instruction that the translator moved (a pure leaf operand placed before it,
/// `Translator::leaf_first`) still names its own operator.
#[test]
fn a_moved_instruction_names_its_operator() {
    for mode in [TranslationMode::Eager, TranslationMode::Lazy] {
        let (binary, mut store, instance) = instantiate(
            mode,
            r#"(module
                 (func (export "run") (param i32 i32) (result i32)
                   (i32.add (i32.div_u (local.get 0) (local.get 1))
                     (i32.shl (local.get 1) (i32.const 2)))))"#,
        );
        let run = instance.get_typed_func::<(i32, i32), i32>(&store, "run").unwrap();
        assert_eq!(run.call(&mut store, (9, 2)).unwrap(), 4 + 8);
        let error = run.call(&mut store, (9, 0)).unwrap_err();
        let frames = trap_of(&error).backtrace();
        let at = binary[frames[0].module_offset.expect("an offset")];
        assert_eq!(at, 0x6e, "frame 0 is at the i32.div_u ({mode:?})");
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

/// A direct call enters code the module already has, whichever instance of the module
/// translated it (`FastCtx::direct_callee`): in lazy mode, instance `b` runs functions that
/// instance `a` translated first. What `b` computes must be `b`'s (its own global), and a
/// trap in `b` must name `b`'s functions and instance in its backtrace.
#[test]
fn instances_of_one_module_share_code_not_state() {
    let wat = r#"(module
        (global $g (mut i32) (i32.const 0))
        (func $get (result i32) global.get $g)
        (func $fail (param i32) (result i32) local.get 0 i32.const 0 i32.div_u)
        (func (export "set") (param i32) local.get 0 global.set $g)
        (func (export "get") (result i32) call $get)
        (func (export "fail") (result i32) call $get call $fail))"#;
    for mode in [TranslationMode::Eager, TranslationMode::Lazy] {
        let mut config = Config::default();
        config.translation(mode);
        let engine = Engine::new(&config);
        let module = Module::new(&engine, wat).expect("loads");
        let mut store = Store::new(&engine, ());
        let linker = mica::Linker::new(&engine);
        let a = linker.instantiate(&mut store, &module).expect("instantiates");
        let b = linker.instantiate(&mut store, &module).expect("instantiates");
        for (instance, value) in [(a, 1), (b, 2)] {
            instance.get_typed_func::<i32, ()>(&store, "set").unwrap().call(&mut store, value).unwrap();
        }
        // `a` translates `get` and `$get` first (in lazy mode); `b` then calls into them.
        for (instance, value) in [(a, 1), (b, 2), (a, 1)] {
            let get = instance.get_typed_func::<(), i32>(&store, "get").unwrap();
            assert_eq!(get.call(&mut store, ()).unwrap(), value, "{mode:?}");
        }
        let fail = |instance: Instance, store: &mut Store<()>| {
            let f = instance.get_typed_func::<(), i32>(&*store, "fail").unwrap();
            f.call(&mut *store, ()).unwrap_err()
        };
        let _ = fail(a, &mut store);
        let error = fail(b, &mut store);
        let frames = trap_of(&error).backtrace();
        assert_eq!(frames.len(), 2, "{frames:?}");
        assert_eq!([frames[0].func_index, frames[1].func_index], [1, 4], "{mode:?}");
        for frame in frames {
            assert_eq!(frame.instance, Some(b), "{mode:?}: {frame}");
        }
    }
}
