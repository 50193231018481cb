//! Prints the bytecode of every function of a module: `cargo run --example disasm FILE`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: disasm FILE.wasm|FILE.wat")?;
    let engine = mica::Engine::default();
    let module = mica::Module::new(&engine, std::fs::read(path)?)?;
    for index in 0.. {
        match module.disassemble(index) {
            Some(listing) => println!("func {index}:\n{}", listing?),
            None if index < module.imports().len() as u32 => continue,
            None => break,
        }
    }
    Ok(())
}
