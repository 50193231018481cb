//! Host failures as WASI error numbers: every `std::io::Error` the host side meets becomes the
//! [`Errno`] a guest expects, by the OS error number where there is one.

use crate::types::Errno;
use rustix::io::Errno as Os;
use std::io;

impl From<io::Error> for Errno {
    fn from(error: io::Error) -> Errno {
        match Os::from_io_error(&error) {
            Some(os) => from_os(os),
            None => from_kind(error.kind()),
        }
    }
}

impl From<Os> for Errno {
    fn from(os: Os) -> Errno {
        from_os(os)
    }
}

fn from_os(os: Os) -> Errno {
    match os {
        Os::TOOBIG => Errno::TooBig,
        Os::ACCESS => Errno::Acces,
        Os::ADDRINUSE => Errno::Addrinuse,
        Os::ADDRNOTAVAIL => Errno::Addrnotavail,
        Os::AFNOSUPPORT => Errno::Afnosupport,
        Os::AGAIN => Errno::Again,
        Os::ALREADY => Errno::Already,
        Os::BADF => Errno::Badf,
        Os::BADMSG => Errno::Badmsg,
        Os::BUSY => Errno::Busy,
        Os::CANCELED => Errno::Canceled,
        Os::CHILD => Errno::Child,
        Os::CONNABORTED => Errno::Connaborted,
        Os::CONNREFUSED => Errno::Connrefused,
        Os::CONNRESET => Errno::Connreset,
        Os::DEADLK => Errno::Deadlk,
        Os::DESTADDRREQ => Errno::Destaddrreq,
        Os::DOM => Errno::Dom,
        Os::DQUOT => Errno::Dquot,
        Os::EXIST => Errno::Exist,
        Os::FAULT => Errno::Fault,
        Os::FBIG => Errno::Fbig,
        Os::HOSTUNREACH => Errno::Hostunreach,
        Os::IDRM => Errno::Idrm,
        Os::ILSEQ => Errno::Ilseq,
        Os::INPROGRESS => Errno::Inprogress,
        Os::INTR => Errno::Intr,
        Os::INVAL => Errno::Inval,
        Os::IO => Errno::Io,
        Os::ISCONN => Errno::Isconn,
        Os::ISDIR => Errno::Isdir,
        Os::LOOP => Errno::Loop,
        Os::MFILE => Errno::Mfile,
        Os::MLINK => Errno::Mlink,
        Os::MSGSIZE => Errno::Msgsize,
        Os::MULTIHOP => Errno::Multihop,
        Os::NAMETOOLONG => Errno::Nametoolong,
        Os::NETDOWN => Errno::Netdown,
        Os::NETRESET => Errno::Netreset,
        Os::NETUNREACH => Errno::Netunreach,
        Os::NFILE => Errno::Nfile,
        Os::NOBUFS => Errno::Nobufs,
        Os::NODEV => Errno::Nodev,
        Os::NOENT => Errno::Noent,
        Os::NOEXEC => Errno::Noexec,
        Os::NOLCK => Errno::Nolck,
        Os::NOLINK => Errno::Nolink,
        Os::NOMEM => Errno::Nomem,
        Os::NOMSG => Errno::Nomsg,
        Os::NOPROTOOPT => Errno::Noprotoopt,
        Os::NOSPC => Errno::Nospc,
        Os::NOSYS => Errno::Nosys,
        Os::NOTCONN => Errno::Notconn,
        Os::NOTDIR => Errno::Notdir,
        Os::NOTEMPTY => Errno::Notempty,
        Os::NOTRECOVERABLE => Errno::Notrecoverable,
        Os::NOTSOCK => Errno::Notsock,
        Os::NOTSUP => Errno::Notsup,
        Os::NOTTY => Errno::Notty,
        Os::NXIO => Errno::Nxio,
        Os::OVERFLOW => Errno::Overflow,
        Os::OWNERDEAD => Errno::Ownerdead,
        Os::PERM => Errno::Perm,
        Os::PIPE => Errno::Pipe,
        Os::PROTO => Errno::Proto,
        Os::PROTONOSUPPORT => Errno::Protonosupport,
        Os::PROTOTYPE => Errno::Prototype,
        Os::RANGE => Errno::Range,
        Os::ROFS => Errno::Rofs,
        Os::SPIPE => Errno::Spipe,
        Os::SRCH => Errno::Srch,
        Os::STALE => Errno::Stale,
        Os::TIMEDOUT => Errno::Timedout,
        Os::TXTBSY => Errno::Txtbsy,
        Os::XDEV => Errno::Xdev,
        // Anything the OS says that preview1 has no name for.
        _ => Errno::Io,
    }
}

/// Errors without an OS number: std's own checks, and cap-std's sandbox refusals.
fn from_kind(kind: io::ErrorKind) -> Errno {
    use io::ErrorKind as K;
    match kind {
        K::NotFound => Errno::Noent,
        // cap-std: "a path led outside of the filesystem".
        K::PermissionDenied => Errno::Perm,
        K::AlreadyExists => Errno::Exist,
        K::InvalidInput | K::InvalidData => Errno::Inval,
        K::WouldBlock => Errno::Again,
        K::Interrupted => Errno::Intr,
        K::Unsupported => Errno::Notsup,
        K::OutOfMemory => Errno::Nomem,
        K::BrokenPipe => Errno::Pipe,
        K::NotADirectory => Errno::Notdir,
        K::IsADirectory => Errno::Isdir,
        K::DirectoryNotEmpty => Errno::Notempty,
        K::InvalidFilename => Errno::Nametoolong,
        K::FileTooLarge => Errno::Fbig,
        K::StorageFull => Errno::Nospc,
        K::ReadOnlyFilesystem => Errno::Rofs,
        K::CrossesDevices => Errno::Xdev,
        _ => Errno::Io,
    }
}
