//! The vocabulary of `wasi_snapshot_preview1`: error numbers, rights, flags and enumerations,
//! with the values the witx definitions (and wasi-libc's `wasi/api.h`) give them.
//!
//! Both sides of the crate speak it: the ABI layer decodes guest integers into these types
//! (rejecting unknown bits), and the host side reports failures as an [`Errno`].

/// A WASI error number. Every failure a guest can cause ends as one of these, never a trap.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
#[repr(u16)]
#[allow(missing_docs)]
pub enum Errno {
    TooBig = 1,
    Acces = 2,
    Addrinuse = 3,
    Addrnotavail = 4,
    Afnosupport = 5,
    Again = 6,
    Already = 7,
    Badf = 8,
    Badmsg = 9,
    Busy = 10,
    Canceled = 11,
    Child = 12,
    Connaborted = 13,
    Connrefused = 14,
    Connreset = 15,
    Deadlk = 16,
    Destaddrreq = 17,
    Dom = 18,
    Dquot = 19,
    Exist = 20,
    Fault = 21,
    Fbig = 22,
    Hostunreach = 23,
    Idrm = 24,
    Ilseq = 25,
    Inprogress = 26,
    Intr = 27,
    Inval = 28,
    Io = 29,
    Isconn = 30,
    Isdir = 31,
    Loop = 32,
    Mfile = 33,
    Mlink = 34,
    Msgsize = 35,
    Multihop = 36,
    Nametoolong = 37,
    Netdown = 38,
    Netreset = 39,
    Netunreach = 40,
    Nfile = 41,
    Nobufs = 42,
    Nodev = 43,
    Noent = 44,
    Noexec = 45,
    Nolck = 46,
    Nolink = 47,
    Nomem = 48,
    Nomsg = 49,
    Noprotoopt = 50,
    Nospc = 51,
    Nosys = 52,
    Notconn = 53,
    Notdir = 54,
    Notempty = 55,
    Notrecoverable = 56,
    Notsock = 57,
    Notsup = 58,
    Notty = 59,
    Nxio = 60,
    Overflow = 61,
    Ownerdead = 62,
    Perm = 63,
    Pipe = 64,
    Proto = 65,
    Protonosupport = 66,
    Prototype = 67,
    Range = 68,
    Rofs = 69,
    Spipe = 70,
    Srch = 71,
    Stale = 72,
    Timedout = 73,
    Txtbsy = 74,
    Xdev = 75,
    Notcapable = 76,
}

/// What a WASI call returns to the guest: nothing, or an error number.
pub type WasiResult<T> = Result<T, Errno>;

/// A file descriptor's rights (`rights` in witx).
#[derive(Debug, Copy, Clone, PartialEq, Eq, Default)]
pub struct Rights(pub u64);

#[allow(missing_docs)]
impl Rights {
    pub const FD_DATASYNC: Rights = Rights(1 << 0);
    pub const FD_READ: Rights = Rights(1 << 1);
    pub const FD_SEEK: Rights = Rights(1 << 2);
    pub const FD_FDSTAT_SET_FLAGS: Rights = Rights(1 << 3);
    pub const FD_SYNC: Rights = Rights(1 << 4);
    pub const FD_TELL: Rights = Rights(1 << 5);
    pub const FD_WRITE: Rights = Rights(1 << 6);
    pub const FD_ADVISE: Rights = Rights(1 << 7);
    pub const FD_ALLOCATE: Rights = Rights(1 << 8);
    pub const PATH_CREATE_DIRECTORY: Rights = Rights(1 << 9);
    pub const PATH_CREATE_FILE: Rights = Rights(1 << 10);
    pub const PATH_LINK_SOURCE: Rights = Rights(1 << 11);
    pub const PATH_LINK_TARGET: Rights = Rights(1 << 12);
    pub const PATH_OPEN: Rights = Rights(1 << 13);
    pub const FD_READDIR: Rights = Rights(1 << 14);
    pub const PATH_READLINK: Rights = Rights(1 << 15);
    pub const PATH_RENAME_SOURCE: Rights = Rights(1 << 16);
    pub const PATH_RENAME_TARGET: Rights = Rights(1 << 17);
    pub const PATH_FILESTAT_GET: Rights = Rights(1 << 18);
    pub const PATH_FILESTAT_SET_SIZE: Rights = Rights(1 << 19);
    pub const PATH_FILESTAT_SET_TIMES: Rights = Rights(1 << 20);
    pub const FD_FILESTAT_GET: Rights = Rights(1 << 21);
    pub const FD_FILESTAT_SET_SIZE: Rights = Rights(1 << 22);
    pub const FD_FILESTAT_SET_TIMES: Rights = Rights(1 << 23);
    pub const PATH_SYMLINK: Rights = Rights(1 << 24);
    pub const PATH_REMOVE_DIRECTORY: Rights = Rights(1 << 25);
    pub const PATH_UNLINK_FILE: Rights = Rights(1 << 26);
    pub const POLL_FD_READWRITE: Rights = Rights(1 << 27);
    pub const SOCK_SHUTDOWN: Rights = Rights(1 << 28);
    pub const SOCK_ACCEPT: Rights = Rights(1 << 29);
    /// Every right preview1 defines.
    pub const ALL: Rights = Rights((1 << 30) - 1);

    /// The rights that make sense on a regular file.
    pub const FILE: Rights = Rights(
        Self::FD_DATASYNC.0
            | Self::FD_READ.0
            | Self::FD_SEEK.0
            | Self::FD_FDSTAT_SET_FLAGS.0
            | Self::FD_SYNC.0
            | Self::FD_TELL.0
            | Self::FD_WRITE.0
            | Self::FD_ADVISE.0
            | Self::FD_ALLOCATE.0
            | Self::FD_FILESTAT_GET.0
            | Self::FD_FILESTAT_SET_SIZE.0
            | Self::FD_FILESTAT_SET_TIMES.0
            | Self::POLL_FD_READWRITE.0,
    );

    /// The rights of a preopened directory, as wasmtime's preview1 reports (and guests expect)
    /// them: the operations on paths beneath it, listing it, and its own attributes.
    pub const PREOPEN: Rights = Rights(
        Self::PATH_CREATE_DIRECTORY.0
            | Self::PATH_CREATE_FILE.0
            | Self::PATH_LINK_SOURCE.0
            | Self::PATH_LINK_TARGET.0
            | Self::PATH_OPEN.0
            | Self::FD_READDIR.0
            | Self::PATH_READLINK.0
            | Self::PATH_RENAME_SOURCE.0
            | Self::PATH_RENAME_TARGET.0
            | Self::PATH_SYMLINK.0
            | Self::PATH_REMOVE_DIRECTORY.0
            | Self::PATH_UNLINK_FILE.0
            | Self::PATH_FILESTAT_GET.0
            | Self::PATH_FILESTAT_SET_TIMES.0
            | Self::FD_FILESTAT_GET.0
            | Self::FD_FILESTAT_SET_TIMES.0,
    );

    /// What a preopened directory passes on to the descriptors opened through it: its own
    /// rights (for directories) and those of a regular file.
    pub const PREOPEN_INHERITING: Rights = Rights(Self::PREOPEN.0 | Self::FILE.0);

    /// The rights of a character stream (stdin, stdout, stderr).
    pub const STREAM: Rights = Rights(
        Self::FD_READ.0
            | Self::FD_WRITE.0
            | Self::FD_FDSTAT_SET_FLAGS.0
            | Self::FD_FILESTAT_GET.0
            | Self::POLL_FD_READWRITE.0,
    );

    pub fn contains(self, other: Rights) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn intersects(self, other: Rights) -> bool {
        self.0 & other.0 != 0
    }

    pub fn union(self, other: Rights) -> Rights {
        Rights(self.0 | other.0)
    }

    pub fn intersection(self, other: Rights) -> Rights {
        Rights(self.0 & other.0)
    }

    /// Decodes a guest value; bits preview1 does not define are an error.
    pub fn from_guest(bits: u64) -> WasiResult<Rights> {
        if bits & !Self::ALL.0 != 0 { Err(Errno::Inval) } else { Ok(Rights(bits)) }
    }
}

/// Defines a small flags type over the guest's integer, with its known bits.
macro_rules! flags {
    ($(#[$doc:meta])* $name:ident: $repr:ty { $($flag:ident = $bit:expr,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Copy, Clone, PartialEq, Eq, Default)]
        pub struct $name(pub $repr);

        #[allow(missing_docs)]
        impl $name {
            $(pub const $flag: $name = $name($bit);)*
            const KNOWN: $repr = 0 $(| $bit)*;

            pub fn contains(self, other: $name) -> bool {
                self.0 & other.0 == other.0
            }

            pub fn intersects(self, other: $name) -> bool {
                self.0 & other.0 != 0
            }

            /// Decodes a guest value; bits preview1 does not define are an error.
            pub fn from_guest(bits: u32) -> WasiResult<$name> {
                <$repr>::try_from(bits)
                    .ok()
                    .filter(|b| b & !Self::KNOWN == 0)
                    .map($name)
                    .ok_or(Errno::Inval)
            }
        }
    };
}

flags! {
    /// Flags of a file descriptor (`fdflags`).
    FdFlags: u16 { APPEND = 1, DSYNC = 2, NONBLOCK = 4, RSYNC = 8, SYNC = 16, }
}

flags! {
    /// Which directions `sock_shutdown` shuts (`sdflags`).
    SdFlags: u8 { RD = 1, WR = 2, }
}

flags! {
    /// How `path_open` creates or truncates (`oflags`).
    OFlags: u16 { CREAT = 1, DIRECTORY = 2, EXCL = 4, TRUNC = 8, }
}

flags! {
    /// How a path is resolved (`lookupflags`).
    LookupFlags: u32 { SYMLINK_FOLLOW = 1, }
}

flags! {
    /// Which timestamps a `*_set_times` call changes (`fstflags`).
    FstFlags: u16 { ATIM = 1, ATIM_NOW = 2, MTIM = 4, MTIM_NOW = 8, }
}

flags! {
    /// Flags of a clock subscription (`subclockflags`).
    SubclockFlags: u16 { ABSTIME = 1, }
}

/// The type of a file (`filetype`).
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum Filetype {
    Unknown = 0,
    BlockDevice = 1,
    CharacterDevice = 2,
    Directory = 3,
    RegularFile = 4,
    SocketDgram = 5,
    SocketStream = 6,
    SymbolicLink = 7,
}

/// A WASI clock (`clockid`).
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum ClockId {
    Realtime,
    Monotonic,
    ProcessCputime,
    ThreadCputime,
}

impl ClockId {
    /// Decodes a guest value.
    pub fn from_guest(id: u32) -> WasiResult<ClockId> {
        Ok(match id {
            0 => ClockId::Realtime,
            1 => ClockId::Monotonic,
            2 => ClockId::ProcessCputime,
            3 => ClockId::ThreadCputime,
            _ => return Err(Errno::Inval),
        })
    }
}

/// Where `fd_seek` counts from (`whence`).
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Whence {
    Set,
    Cur,
    End,
}

impl Whence {
    /// Decodes a guest value.
    pub fn from_guest(whence: u32) -> WasiResult<Whence> {
        Ok(match whence {
            0 => Whence::Set,
            1 => Whence::Cur,
            2 => Whence::End,
            _ => return Err(Errno::Inval),
        })
    }
}

/// The access pattern `fd_advise` announces (`advice`).
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Advice {
    Normal,
    Sequential,
    Random,
    WillNeed,
    DontNeed,
    NoReuse,
}

impl Advice {
    /// Decodes a guest value.
    pub fn from_guest(advice: u32) -> WasiResult<Advice> {
        Ok(match advice {
            0 => Advice::Normal,
            1 => Advice::Sequential,
            2 => Advice::Random,
            3 => Advice::WillNeed,
            4 => Advice::DontNeed,
            5 => Advice::NoReuse,
            _ => return Err(Errno::Inval),
        })
    }
}

/// A file's attributes (`filestat`).
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Filestat {
    pub dev: u64,
    pub ino: u64,
    pub filetype: Filetype,
    pub nlink: u64,
    pub size: u64,
    /// Timestamps in nanoseconds since the Unix epoch.
    pub atim: u64,
    pub mtim: u64,
    pub ctim: u64,
}

/// A descriptor's attributes (`fdstat`).
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Fdstat {
    pub filetype: Filetype,
    pub flags: FdFlags,
    pub rights_base: Rights,
    pub rights_inheriting: Rights,
}

/// One entry of a directory listing, as `fd_readdir` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    /// The cookie that resumes the listing after this entry.
    pub next: u64,
    /// The entry's inode number.
    pub ino: u64,
    /// The entry's type.
    pub filetype: Filetype,
    /// The entry's name (bytes, as the host file system stores them).
    pub name: Vec<u8>,
}
