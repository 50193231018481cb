//! `poll_oneoff`: decoding subscriptions (48 bytes each) and encoding events (32 bytes each).

use super::memory::GuestMemory;
use super::{CtxAccess, MODULE, call};
use crate::WasiCtx;
use crate::host::poll::{Awaited, Event, Subscription};
use crate::types::{ClockId, Errno, SubclockFlags, WasiResult};
use mica::{Caller, Linker};

const SUBSCRIPTION_SIZE: u32 = 48;
const EVENT_SIZE: u32 = 32;

pub(super) fn register<T: 'static>(
    linker: &mut Linker<T>,
    ctx: impl CtxAccess<T>,
) -> mica::Result<()> {
    linker.func_wrap(
        MODULE,
        "poll_oneoff",
        move |mut c: Caller<'_, T>, subs: u32, events: u32, count: u32, out: u32| {
            call(&mut c, ctx, |cx, mem| poll_oneoff(cx, mem, subs, events, count, out))
        },
    )?;
    Ok(())
}

fn poll_oneoff(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    subs: u32,
    events: u32,
    count: u32,
    out: u32,
) -> WasiResult<()> {
    if count == 0 {
        return Err(Errno::Inval);
    }
    mem.check(subs, count.checked_mul(SUBSCRIPTION_SIZE).ok_or(Errno::Fault)?)?;
    mem.check(events, count.checked_mul(EVENT_SIZE).ok_or(Errno::Fault)?)?;
    mem.check(out, 4)?;
    let subscriptions = (0..count)
        .map(|i| read_subscription(mem, subs + i * SUBSCRIPTION_SIZE))
        .collect::<WasiResult<Vec<_>>>()?;
    let ready = ctx.poll_oneoff(&subscriptions)?;
    for (i, event) in (0u32..).zip(&ready) {
        mem.write_bytes(events + i * EVENT_SIZE, &encode_event(event))?;
    }
    mem.write_u32(out, ready.len() as u32)
}

fn read_subscription(mem: &GuestMemory<'_>, at: u32) -> WasiResult<Subscription> {
    let userdata = mem.read_u64(at)?;
    let awaited = match mem.read_u8(at + 8)? {
        0 => {
            let id = ClockId::from_guest(mem.read_u32(at + 16)?)?;
            let timeout = mem.read_u64(at + 24)?;
            let flags = SubclockFlags::from_guest(mem.read_u16(at + 40)? as u32)?;
            Awaited::Clock { id, timeout, absolute: flags.contains(SubclockFlags::ABSTIME) }
        }
        1 => Awaited::FdRead(mem.read_u32(at + 16)?),
        2 => Awaited::FdWrite(mem.read_u32(at + 16)?),
        _ => return Err(Errno::Inval),
    };
    Ok(Subscription { userdata, awaited })
}

fn encode_event(event: &Event) -> [u8; EVENT_SIZE as usize] {
    let mut bytes = [0u8; EVENT_SIZE as usize];
    bytes[0..8].copy_from_slice(&event.userdata.to_le_bytes());
    let error = event.error.map_or(0, |e| e as u16);
    bytes[8..10].copy_from_slice(&error.to_le_bytes());
    bytes[10] = event.kind as u8;
    bytes[16..24].copy_from_slice(&event.nbytes.to_le_bytes());
    bytes[24..26].copy_from_slice(&u16::from(event.hangup).to_le_bytes());
    bytes
}
