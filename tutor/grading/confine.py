"""The confinement of learner code: the kernel's unprivileged mechanisms, each detected at run time.

Loaded by file path by the grading worker (standard library only, no ``tutor`` import) and imported
by ``tutor doctor`` and the tests. Everything is a direct system call through ``ctypes``: no
package, no native library (docs/internals.md, "Sandbox mechanisms", says why).

Where each mechanism is set up:

- ``enter_namespaces`` (the worker, once, at start, before NumPy is imported and while it is still
  single-threaded): ``unshare`` of a user namespace (the calling user mapped to itself), a network
  namespace (no interface but a down loopback: no network), an IPC namespace, a mount namespace
  (private; a small fresh tmpfs on ``/dev/shm``) and a PID namespace. The worker then forks: the
  fork is PID 1 of the new PID namespace and serves the requests; the process the parent started
  only waits for it. PID 1 of a namespace cannot be killed or stopped from inside it, so learner
  code cannot freeze or kill its worker, and sees no process outside.
- ``build_landlock`` (the worker, once, after NumPy is imported): a Landlock ruleset (a filesystem
  allow-list: read-only the interpreter, its standard library, NumPy's own folders and the shared
  libraries the worker has mapped; ``/dev/null``; nothing else, no write anywhere), TCP bind and
  connect denied (ABI ≥ 4), signals and abstract Unix sockets scoped to the sandbox (ABI ≥ 6).
- ``confine_child`` (each fresh child, before its request arrives, so no check waits for it):
  rlimits (processes, open files, no core files; address space, CPU and file size follow per
  request), ``PR_SET_NO_NEW_PRIVS``, non-dumpable, every capability dropped, the Landlock ruleset
  applied, and a seccomp filter (``seccomp_program``).

``Plan`` names what to try; the environment variable ``TUTOR_SANDBOX_DISABLE`` (comma-separated
names of ``MECHANISMS``, or ``namespaces`` for all five, or ``all``) turns mechanisms off: for the
tests that prove the fallback and for ``tutor doctor``. A mechanism the kernel refuses is recorded
in ``missing`` with the reason, and grading goes on with the rest.
"""

from __future__ import annotations

import ctypes
import errno
import os
import signal
import struct
import sys

if sys.platform.startswith("linux"):
    import resource

#: every mechanism, in the order ``tutor doctor`` lists them
MECHANISMS = (
    "landlock",
    "seccomp",
    "user_namespace",
    "pid_namespace",
    "net_namespace",
    "ipc_namespace",
    "mount_namespace",
    "no_new_privs",
    "non_dumpable",
    "rlimits",
)
NAMESPACES = ("user_namespace", "pid_namespace", "net_namespace", "ipc_namespace", "mount_namespace")
#: what each mechanism keeps from the learner's code (for ``tutor doctor`` and the README)
PURPOSE = {
    "landlock": "reads only Python, stdlib, NumPy; no writes, no TCP",
    "seccomp": "no ptrace, exec, socket, memfd, bpf, keyctl, mount…",
    "user_namespace": "a root of its own, with no power outside",
    "pid_namespace": "sees and signals no process outside; ends whole",
    "net_namespace": "no network interface at all",
    "ipc_namespace": "no shared memory of other processes",
    "mount_namespace": "its own mounts; a fresh 8 MB /dev/shm",
    "no_new_privs": "no setuid program can give it more rights",
    "non_dumpable": "no core files; memory unreadable through /proc",
    "rlimits": "bounded memory, CPU, file size, open files, processes",
}
DISABLE_ENV = "TUTOR_SANDBOX_DISABLE"

if sys.platform.startswith("linux"):  # elsewhere nothing here is called (every entry point checks)
    _LIBC = ctypes.CDLL(None, use_errno=True)
    _LIBC.syscall.restype = ctypes.c_long
    _LIBC.mount.argtypes = (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p)

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2

CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
CLONE_NEWTIME = 0x00000080
_NS_FLAG = {
    "user_namespace": CLONE_NEWUSER,
    "pid_namespace": CLONE_NEWPID,
    "net_namespace": CLONE_NEWNET,
    "ipc_namespace": CLONE_NEWIPC,
    "mount_namespace": CLONE_NEWNS,
}
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 16384, 1 << 18

# Landlock (include/uapi/linux/landlock.h); the system call numbers are the same on every arch
SYS_LANDLOCK_CREATE_RULESET, SYS_LANDLOCK_ADD_RULE, SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
LANDLOCK_CREATE_RULESET_VERSION = 1
LANDLOCK_RULE_PATH_BENEATH = 1
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1, 2, 4, 8
FS_REFER, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_BIND_TCP, NET_CONNECT_TCP = 1, 2
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1, 2
_FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV
READ = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR

# seccomp: the system calls refused, per architecture (AUDIT_ARCH value, numbers from the kernel)
_ARCH = {
    "x86_64": (
        0xC000003E,
        {
            "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "execve": 59,
            "execveat": 322, "memfd_create": 319, "memfd_secret": 447, "userfaultfd": 323, "bpf": 321,
            "keyctl": 250, "add_key": 248, "request_key": 249, "mount": 165, "umount2": 166,
            "pivot_root": 155, "chroot": 161, "unshare": 272, "setns": 308, "perf_event_open": 298,
            "kexec_load": 246, "kexec_file_load": 320, "init_module": 175, "finit_module": 313,
            "delete_module": 176, "open_by_handle_at": 304, "name_to_handle_at": 303, "swapon": 167,
            "swapoff": 168, "reboot": 169, "io_uring_setup": 425, "io_uring_enter": 426,
            "io_uring_register": 427, "pidfd_getfd": 438, "fsopen": 430, "fsconfig": 431,
            "fsmount": 432, "fspick": 433, "move_mount": 429, "open_tree": 428, "mount_setattr": 442,
            "shmget": 29, "msgget": 68, "mq_open": 240, "process_madvise": 440, "acct": 163,
            "quotactl": 179, "settimeofday": 164, "fanotify_init": 300, "socket": 41,
            # metadata Landlock does not guard (mode, owner, times, extended attributes)
            "chmod": 90, "fchmod": 91, "fchmodat": 268, "fchmodat2": 452, "chown": 92, "fchown": 93,
            "lchown": 94, "fchownat": 260, "utime": 132, "utimes": 235, "utimensat": 280, "futimesat": 261,
            "setxattr": 188, "lsetxattr": 189, "fsetxattr": 190, "removexattr": 197, "lremovexattr": 198,
            "fremovexattr": 199, "setxattrat": 463, "removexattrat": 466,
            # handled apart
            "clone": 56, "clone3": 435, "kill": 62, "tkill": 200, "tgkill": 234,
            "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297, "pidfd_open": 434, "pidfd_send_signal": 424,
            "capset": 126,
        },
    ),
    "aarch64": (
        0xC00000B7,
        {
            "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271, "execve": 221,
            "execveat": 281, "memfd_create": 279, "memfd_secret": 447, "userfaultfd": 282, "bpf": 280,
            "keyctl": 219, "add_key": 217, "request_key": 218, "mount": 40, "umount2": 39,
            "pivot_root": 41, "chroot": 51, "unshare": 97, "setns": 268, "perf_event_open": 241,
            "kexec_load": 104, "kexec_file_load": 294, "init_module": 105, "finit_module": 273,
            "delete_module": 106, "open_by_handle_at": 265, "name_to_handle_at": 264, "swapon": 224,
            "swapoff": 225, "reboot": 142, "io_uring_setup": 425, "io_uring_enter": 426,
            "io_uring_register": 427, "pidfd_getfd": 438, "fsopen": 430, "fsconfig": 431,
            "fsmount": 432, "fspick": 433, "move_mount": 429, "open_tree": 428, "mount_setattr": 442,
            "shmget": 194, "msgget": 186, "mq_open": 180, "process_madvise": 440, "acct": 89,
            "quotactl": 60, "settimeofday": 170, "fanotify_init": 262, "socket": 198,
            "fchmod": 52, "fchmodat": 53, "fchmodat2": 452, "fchown": 55, "fchownat": 54, "utimensat": 88,
            "setxattr": 5, "lsetxattr": 6, "fsetxattr": 7, "removexattr": 14, "lremovexattr": 15,
            "fremovexattr": 16, "setxattrat": 463, "removexattrat": 466,
            "clone": 220, "clone3": 435, "kill": 129, "tkill": 130, "tgkill": 131,
            "rt_sigqueueinfo": 138, "rt_tgsigqueueinfo": 240, "pidfd_open": 434, "pidfd_send_signal": 424,
            "capset": 91,
        },
    ),
}
_APART = {"clone", "clone3", "kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo",
          "pidfd_open", "pidfd_send_signal", "capset"}
_SIGNALLING = ("tkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_open", "pidfd_send_signal")
_CLONE_NEW_ANY = (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER
                  | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME)
SECCOMP_RET_KILL_PROCESS = 0x80000000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_ALLOW = 0x7FFF0000
_LD_W_ABS, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_X32_SYSCALL_BIT = 0x40000000

#: limits of the child, besides those of each request (address space, CPU, file size)
NOFILE = 64
# Root is exempt from RLIMIT_NPROC (the kernel does not count processes of uid 0): as root, the
# processes the learner's code starts are bounded by the time limit and die with the PID namespace.
EXTRA_PROCESSES = 2  # processes the learner's code may start at once (each under the same address-space
# limit, so at most 3 × memory_mb in all, for at most the time limit; all are killed at the end)


def disabled_from_env(value: str | None = None) -> frozenset[str]:
    """The mechanisms named in ``TUTOR_SANDBOX_DISABLE`` (unknown names are ignored)."""
    text = os.environ.get(DISABLE_ENV, "") if value is None else value
    names: set[str] = set()
    for word in (w.strip().lower().replace("-", "_") for w in text.split(",")):
        if word == "all":
            names.update(MECHANISMS)
        elif word in ("namespaces", "namespace", "unshare"):
            names.update(NAMESPACES)
        elif word in MECHANISMS:
            names.add(word)
        elif word + "_namespace" in MECHANISMS:
            names.add(word + "_namespace")
    return frozenset(names)


def _error(what: str) -> str:
    code = ctypes.get_errno()
    return f"{what} failed: {errno.errorcode.get(code, code)} ({os.strerror(code)})"


def _prctl(option: int, value: int, arg3: int = 0) -> int:
    return _LIBC.prctl(ctypes.c_int(option), ctypes.c_ulong(value), ctypes.c_ulong(arg3), ctypes.c_ulong(0), ctypes.c_ulong(0))


def set_non_dumpable() -> bool:
    """Mark this process non-dumpable: no core file, and its memory cannot be read through
    ``/proc/<pid>/mem`` or ptrace by another process of the same user."""
    if not sys.platform.startswith("linux"):
        return False
    return _prctl(PR_SET_DUMPABLE, 0) == 0


# --- namespaces -------------------------------------------------------------------------------


def _write_file(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def enter_namespaces(disabled: frozenset[str]) -> tuple[list[str], dict[str, str]]:
    """Move this (single-threaded) process into new namespaces; fork when a PID namespace was made.

    Returns (the namespaces in force, {namespace: why not}). With a PID namespace, this process
    forks: the fork returns (it is PID 1 of the namespace and dies with this process); this process
    never returns — it waits for the fork and exits with its status."""
    wanted = [name for name in NAMESPACES if name not in disabled]
    missing = {name: "turned off (TUTOR_SANDBOX_DISABLE)" for name in NAMESPACES if name in disabled}
    if not sys.platform.startswith("linux"):
        return [], {name: "needs Linux" for name in NAMESPACES}
    if not wanted:
        return [], missing
    uid, gid = os.getuid(), os.getgid()
    # all at once; then without the kinds a system may limit on their own (network, IPC); as root,
    # the same again without a user namespace (root needs none; some containers forbid it)
    tries = []
    for drop in ((), ("net_namespace",), ("net_namespace", "ipc_namespace"), ("net_namespace", "ipc_namespace", "mount_namespace")):
        names = [n for n in wanted if n not in drop]
        if names and names not in tries:
            tries.append(names)
    if "user_namespace" in wanted and os.geteuid() == 0:
        tries += [[n for n in names if n != "user_namespace"] for names in list(tries)]
    reason = ""
    for names in tries:
        flags = 0
        for name in names:
            flags |= _NS_FLAG[name]
        if "user_namespace" not in names and os.geteuid() != 0:
            continue
        if _LIBC.unshare(ctypes.c_int(flags)) == 0:
            break
        reason = _error("unshare")
    else:
        if os.geteuid() != 0:
            reason += "; this system does not let unprivileged users create namespaces"
        for name in wanted:
            missing[name] = reason or "unshare is not allowed here"
        return [], missing
    for name in wanted:
        if name not in names:
            if name == "user_namespace":
                missing[name] = f"not allowed here ({reason}); not needed as root"
            else:
                missing[name] = f"refused by this system ({reason})"
    in_force = list(names)
    if "user_namespace" in names:
        try:
            try:
                _write_file("/proc/self/setgroups", "deny")
            except FileNotFoundError:  # Linux < 3.19
                pass
            _write_file("/proc/self/uid_map", f"{uid} {uid} 1\n")
            _write_file("/proc/self/gid_map", f"{gid} {gid} 1\n")
        except OSError as exc:
            missing["user_namespace"] = f"could not map the user into it: {exc}"
            in_force.remove("user_namespace")
    if "mount_namespace" in in_force:
        if _LIBC.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) != 0:
            missing["mount_namespace"] = _error("making the mounts private")
            in_force.remove("mount_namespace")
    if "pid_namespace" in in_force:
        _become_init()
    if "mount_namespace" in in_force:
        _LIBC.mount(b"tmpfs", b"/dev/shm", b"tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, b"size=8m,nr_inodes=64")
        if "pid_namespace" in in_force:  # a /proc that shows this namespace only
            _LIBC.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)
    return in_force, missing


def _become_init() -> None:
    """Fork PID 1 of the new PID namespace and hand it the work; this process waits and exits."""
    pid = os.fork()
    if pid == 0:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # dies with the process the parent started
        return
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(devnull, fd)  # only PID 1 holds the protocol: its exit ends the parent's reads
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_IGN)
    set_non_dumpable()
    while True:
        try:
            _, status = os.waitpid(pid, 0)
        except InterruptedError:
            continue
        except ChildProcessError:
            os._exit(1)
        break
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


# --- Landlock ---------------------------------------------------------------------------------


def landlock_abi() -> tuple[int, str]:
    """The Landlock ABI version of this kernel (0 when there is none) and why not."""
    if not sys.platform.startswith("linux"):
        return 0, "needs Linux"
    version = _LIBC.syscall(ctypes.c_long(SYS_LANDLOCK_CREATE_RULESET), None, ctypes.c_size_t(0),
                            ctypes.c_uint32(LANDLOCK_CREATE_RULESET_VERSION))
    if version < 0:
        code = ctypes.get_errno()
        if code == errno.ENOSYS:
            return 0, "the kernel has no Landlock (Linux ≥ 5.13 built with CONFIG_SECURITY_LANDLOCK)"
        if code == errno.EOPNOTSUPP:
            return 0, "Landlock is built in but not enabled (add landlock to the lsm= boot parameter)"
        return 0, _error("landlock_create_ruleset")
    return int(version), ""


def _fs_rights(abi: int) -> int:
    rights = (1 << 13) - 1
    if abi >= 2:
        rights |= FS_REFER
    if abi >= 3:
        rights |= FS_TRUNCATE
    if abi >= 5:
        rights |= FS_IOCTL_DEV
    return rights


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def allowed_paths(numpy_dir: str, private: list[str]) -> tuple[list[str], list[tuple[str, int]]]:
    """(folders and files to read, [(file, rights)]) for the Landlock allow-list.

    Read-only: the standard library (without its ``site-packages``), NumPy's folder and its bundled
    libraries, every file this process has mapped (the interpreter, ``libpython``, the C library,
    BLAS, ...) and the folders of its shared libraries (a later ``import`` may load their
    neighbours); ``/dev/null`` read-write. ``private`` folders (the ``tutor`` package, the lessons,
    TUTOR_HOME, the home folder, every ``site-packages``) are never allowed whole: a folder that holds
    one is replaced by its other entries."""
    real = os.path.realpath
    reads: list[str] = []
    stdlib = real(os.path.dirname(os.__file__))
    reads.append(stdlib)
    reads += [real(p) for p in sys.path if p.endswith("lib-dynload") or p.endswith(".zip")]
    reads.append(real(numpy_dir))
    for libs in (numpy_dir + ".libs", os.path.join(numpy_dir, ".libs")):
        if os.path.isdir(libs):
            reads.append(real(libs))
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            mapped = {line.split(None, 5)[5].strip() for line in maps if len(line.split(None, 5)) == 6}
    except OSError:
        mapped = set()
    for path in sorted(p for p in mapped if p.startswith("/") and not p.endswith("(deleted)")):
        path = real(path)
        folder = os.path.dirname(path)
        if ".so" in os.path.basename(path) and not any(_inside(folder, p) for p in private):
            reads.append(folder)
        else:
            reads.append(path)
    for path in ("/etc/ld.so.cache", "/etc/localtime", "/dev/urandom", "/dev/random", "/dev/zero"):
        reads.append(path)
    files = [("/dev/null", FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE)]
    return _expand(reads, private), files


def _expand(paths: list[str], private: list[str]) -> list[str]:
    """``paths`` with every folder that contains a ``private`` one replaced by its other entries."""
    out: list[str] = []
    todo = sorted(set(paths))
    while todo:
        path = todo.pop()
        inner = [p for p in private if p != path and _inside(p, path)]
        if not inner:
            out.append(path)
            continue
        try:
            entries = os.listdir(path)
        except OSError:
            continue
        for entry in entries:
            child = os.path.join(path, entry)
            if child not in private:
                todo.append(child)
    return sorted(set(out))


def private_paths(package_dir: str) -> list[str]:
    """Folders learner code must never read: the ``tutor`` package and the lessons, TUTOR_HOME,
    TUTOR_LESSONS, TUTOR_CACHE (the app's course cache), the home folder, every ``site-packages`` and ``dist-packages``."""
    paths = [package_dir, os.path.join(os.path.dirname(package_dir), "lessons"), os.path.expanduser("~")]
    paths += [os.environ[v] for v in ("TUTOR_HOME", "TUTOR_LESSONS", "TUTOR_CACHE", "XDG_DATA_HOME", "XDG_CACHE_HOME") if os.environ.get(v)]
    try:
        import site

        paths += site.getsitepackages() + [site.getusersitepackages()]
    except Exception:  # noqa: BLE001 - a stripped ``site`` module
        pass
    paths += [p for p in sys.path if os.path.basename(p.rstrip(os.sep)) in ("site-packages", "dist-packages")]
    prefix_lib = os.path.join(sys.prefix, "lib")
    if os.path.isdir(prefix_lib):
        for entry in os.listdir(prefix_lib):
            paths.append(os.path.join(prefix_lib, entry, "site-packages"))
    return sorted({os.path.realpath(os.path.expanduser(p)) for p in paths if p})


def build_landlock(abi: int, reads: list[str], files: list[tuple[str, int]]) -> tuple[int, str]:
    """A ruleset file descriptor (-1 and why on failure). Paths that do not exist are skipped."""
    fs = _fs_rights(abi)
    net = NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0
    scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0
    attr = struct.pack("<QQQ", fs, net, scoped)
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    buffer = ctypes.create_string_buffer(attr[:size], size)
    fd = _LIBC.syscall(ctypes.c_long(SYS_LANDLOCK_CREATE_RULESET), buffer, ctypes.c_size_t(size), ctypes.c_uint32(0))
    if fd < 0:
        return -1, _error("landlock_create_ruleset")
    for path, rights in [(p, READ) for p in reads] + list(files):
        try:
            target = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            is_dir = os.fstat(target).st_mode & 0o170000 == 0o040000
            allowed = (rights & fs) if is_dir else (rights & fs & _FILE_RIGHTS)
            rule = ctypes.create_string_buffer(struct.pack("<Qi", allowed, target), 12)
            if _LIBC.syscall(ctypes.c_long(SYS_LANDLOCK_ADD_RULE), ctypes.c_int(fd),
                             ctypes.c_int(LANDLOCK_RULE_PATH_BENEATH), rule, ctypes.c_uint32(0)) != 0:
                reason = _error(f"landlock_add_rule({path})")
                os.close(fd)
                return -1, reason
        finally:
            os.close(target)
    os.set_inheritable(fd, True)
    return fd, ""


# --- seccomp ----------------------------------------------------------------------------------


def _insn(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("<HBBI", code, jt, jf, k & 0xFFFFFFFF)


def seccomp_program(machine: str, me: int, *, filter_signals: bool) -> bytes | None:
    """The BPF program of the child's seccomp filter (None for an architecture we do not know).

    Refused with EPERM: ptrace, process_vm_readv/writev, execve(at) (the child never runs another
    program), ``socket`` (no network and no Unix socket — Landlock does not guard ``connect`` to a
    socket file such as a container daemon's; ``socketpair`` stays), changing a file's mode, owner, times or extended attributes (Landlock
    does not guard metadata), memfd_create/memfd_secret, userfaultfd, bpf, keyctl and friends, mount and the new
    mount API, unshare/setns and ``clone`` with a namespace flag, io_uring, pidfd_getfd, SysV shared
    memory and message queues, POSIX message queues, modules, reboot, swap, perf. ``clone3`` answers
    ENOSYS (its flags cannot be inspected; libc falls back to ``clone``). Where nothing else keeps
    signals inside the sandbox (no PID namespace, no Landlock scoping), ``kill`` is allowed only to
    the child's own process and group (``filter_signals``) and the other ways of signalling are
    refused. Any other architecture's system call (e.g. x32, i386 on x86_64) kills the process."""
    arch = _ARCH.get(machine)
    if arch is None:
        return None
    audit_arch, numbers = arch
    eperm = SECCOMP_RET_ERRNO | errno.EPERM
    prog = [
        _insn(_LD_W_ABS, 4),  # seccomp_data.arch
        _insn(_JEQ, audit_arch, 1, 0),
        _insn(_RET, SECCOMP_RET_KILL_PROCESS),
        _insn(_LD_W_ABS, 0),  # seccomp_data.nr
    ]
    if machine == "x86_64":
        prog += [_insn(_JGE, _X32_SYSCALL_BIT, 0, 1), _insn(_RET, SECCOMP_RET_KILL_PROCESS)]
    denied = [n for name, n in numbers.items() if name not in _APART]
    denied.append(numbers["capset"])  # capabilities are dropped before the filter; never regained
    if filter_signals:
        denied += [numbers[name] for name in _SIGNALLING]
    for number in denied:
        prog += [_insn(_JEQ, number, 0, 1), _insn(_RET, eperm)]
    prog += [_insn(_JEQ, numbers["clone3"], 0, 1), _insn(_RET, SECCOMP_RET_ERRNO | errno.ENOSYS)]
    # clone with a namespace flag (flags are the first argument on both architectures)
    prog += [
        _insn(_JEQ, numbers["clone"], 0, 4),
        _insn(_LD_W_ABS, 16),  # args[0], low 32 bits
        _insn(_JSET, _CLONE_NEW_ANY, 0, 1),
        _insn(_RET, eperm),
        _insn(_LD_W_ABS, 0),
    ]
    if filter_signals:
        for name in ("kill", "tgkill"):  # the first argument: a process (group) id
            prog += [
                _insn(_JEQ, numbers[name], 0, 6),
                _insn(_LD_W_ABS, 16),
                _insn(_JEQ, 0, 3, 0) if name == "kill" else _insn(_JEQ, me, 3, 0),
                _insn(_JEQ, me, 2, 0),
                _insn(_JEQ, -me, 1, 0),
                _insn(_RET, eperm),
                _insn(_LD_W_ABS, 0),
            ]
    prog.append(_insn(_RET, SECCOMP_RET_ALLOW))
    return b"".join(prog)


def install_seccomp(program: bytes) -> str:
    """Install the filter on this thread (and every thread and process it starts); "" or why not."""
    count = len(program) // 8
    filters = ctypes.create_string_buffer(program, len(program))
    fprog = struct.pack("<HxxxxxxQ", count, ctypes.addressof(filters))
    buffer = ctypes.create_string_buffer(fprog, len(fprog))
    if _prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(buffer)) != 0:
        return _error("prctl(PR_SET_SECCOMP)")
    return ""


def seccomp_available() -> tuple[bool, str]:
    """Whether this kernel and architecture take a seccomp filter (without installing one)."""
    if not sys.platform.startswith("linux"):
        return False, "needs Linux"
    machine = os.uname().machine
    if machine not in _ARCH:
        return False, f"no filter written for the {machine} architecture"
    if sys.maxsize <= 2**32:  # a 32-bit Python on a 64-bit kernel makes the 32-bit system calls
        return False, f"no filter written for a 32-bit Python on {machine}"
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            if not any(line.startswith("Seccomp:") for line in status):
                return False, "the kernel was built without seccomp (CONFIG_SECCOMP_FILTER)"
    except OSError:
        pass
    return True, ""


# --- the child --------------------------------------------------------------------------------


def _limit(which: int, value: int) -> bool:
    try:
        resource.setrlimit(which, (value, value))
        return True
    except (ValueError, OSError):
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY and value > hard:
            resource.setrlimit(which, (hard, hard))
            return True
        return False


def _processes_of(uid: int) -> int:
    count = 0
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0
    for entry in entries:
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += 1
            except OSError:
                pass
    return count


def _drop_capabilities(machine: str) -> bool:
    """Empty the effective, permitted and inheritable sets (capset, version 3)."""
    arch = _ARCH.get(machine)
    if arch is None:
        return False
    header = ctypes.create_string_buffer(struct.pack("<Ii", 0x20080522, 0), 8)
    data = ctypes.create_string_buffer(bytes(24), 24)
    return _LIBC.syscall(ctypes.c_long(arch[1]["capset"]), header, data) == 0


class Plan:
    """What the worker set up, handed to each child: the namespaces in force, the Landlock ruleset,
    and the mechanisms turned off or missing with the reason."""

    def __init__(self, disabled: frozenset[str], namespaces: list[str], missing: dict[str, str]) -> None:
        self.disabled = disabled
        self.namespaces = list(namespaces)
        self.missing = dict(missing)
        self.ruleset_fd = -1
        self.landlock_abi = 0
        self.machine = os.uname().machine if sys.platform.startswith("linux") else ""

    def prepare_landlock(self, numpy_dir: str, package_dir: str) -> None:
        if "landlock" in self.disabled:
            self.missing["landlock"] = "turned off (TUTOR_SANDBOX_DISABLE)"
            return
        abi, why = landlock_abi()
        if not abi:
            self.missing["landlock"] = why
            return
        reads, files = allowed_paths(numpy_dir, private_paths(package_dir))
        self.ruleset_fd, why = build_landlock(abi, reads, files)
        if self.ruleset_fd < 0:
            self.missing["landlock"] = why
        else:
            self.landlock_abi = abi

    def in_force_at_start(self) -> list[str]:
        return list(self.namespaces) + (["landlock"] if self.ruleset_fd >= 0 else [])


def confine_child(plan: Plan, me: int) -> dict:
    """Confine this freshly forked, single-threaded child for good; the report
    ``{"mechanisms": [names in force], "missing": {name: why not}, "landlock_abi": n}``."""
    in_force = list(plan.namespaces)
    missing = dict(plan.missing)
    if "rlimits" in plan.disabled:
        missing["rlimits"] = "turned off (TUTOR_SANDBOX_DISABLE)"
    else:
        _limit(resource.RLIMIT_CORE, 0)
        _limit(resource.RLIMIT_NOFILE, NOFILE)
        if "user_namespace" in in_force:  # counted per user namespace: the worker's processes
            # (the one the parent started, and PID 1 when it forked one) and this child
            processes = 3 if "pid_namespace" in in_force else 2
        else:
            processes = _processes_of(os.getuid())
        _limit(resource.RLIMIT_NPROC, processes + EXTRA_PROCESSES)
        in_force.append("rlimits")
    if "no_new_privs" in plan.disabled:
        missing["no_new_privs"] = "turned off (TUTOR_SANDBOX_DISABLE)"
    elif _prctl(PR_SET_NO_NEW_PRIVS, 1) == 0:
        in_force.append("no_new_privs")
    else:
        missing["no_new_privs"] = _error("prctl(PR_SET_NO_NEW_PRIVS)")
    if "non_dumpable" in plan.disabled:
        missing["non_dumpable"] = "turned off (TUTOR_SANDBOX_DISABLE)"
    elif set_non_dumpable():
        in_force.append("non_dumpable")
    else:
        missing["non_dumpable"] = _error("prctl(PR_SET_DUMPABLE)")
    if os.geteuid() == 0 or "user_namespace" in in_force:
        _drop_capabilities(plan.machine)  # root's powers, or the namespace's, are not the learner's
    if plan.ruleset_fd >= 0 and "no_new_privs" not in in_force:
        missing["landlock"] = "needs no_new_privs, which is not in force"
        os.close(plan.ruleset_fd)
    elif plan.ruleset_fd >= 0:
        status = _LIBC.syscall(ctypes.c_long(SYS_LANDLOCK_RESTRICT_SELF), ctypes.c_int(plan.ruleset_fd), ctypes.c_uint32(0))
        if status == 0:
            in_force.append("landlock")
        else:
            missing["landlock"] = _error("landlock_restrict_self")
        os.close(plan.ruleset_fd)
    scoped = "landlock" in in_force and plan.landlock_abi >= 6
    if "seccomp" in plan.disabled:
        missing["seccomp"] = "turned off (TUTOR_SANDBOX_DISABLE)"
    else:
        ok, why = seccomp_available()
        program = seccomp_program(plan.machine, me, filter_signals=not scoped and "pid_namespace" not in in_force) if ok else None
        if program is None:
            missing["seccomp"] = why or "unknown architecture"
        elif "no_new_privs" not in in_force:
            missing["seccomp"] = "needs no_new_privs, which is not in force"
        else:
            why = install_seccomp(program)
            if why:
                missing["seccomp"] = why
            else:
                in_force.append("seccomp")
    order = {name: i for i, name in enumerate(MECHANISMS)}
    return {
        "mechanisms": sorted(set(in_force), key=order.get),
        "missing": {k: missing[k] for k in sorted(missing, key=order.get) if k not in in_force},
        "landlock_abi": plan.landlock_abi if "landlock" in in_force else 0,
    }
