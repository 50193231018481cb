fn main() {
    let engine = mica::Engine::default();
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let m = mica::Module::new(&engine, text).unwrap();
    for i in 0..20 { if let Some(d) = m.disassemble(i) { println!("func {i}:\n{}", d.unwrap()); } }
}
