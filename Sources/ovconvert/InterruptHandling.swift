import CSystemShims
import Foundation
import OpenVINOIR

/// SIGINT and SIGTERM during a conversion: the output folder being written (its temporary folder, or an old folder
/// being deleted after a `--force` replacement) is removed and the process exits 130 or 143 (128 + the signal), so
/// an interrupted conversion leaves no output folder, no temporary folder, and an existing output as it was.
///
/// The signal handler itself only writes the signal's number to a pipe (async-signal-safe); a thread waiting on the
/// pipe does the removal (`PendingOutputs.abandonAll`) in ordinary context and exits. SIGXFSZ is ignored, so a file
/// size limit (`ulimit -f`) fails the write with EFBIG, reported and cleaned up like a full disk, instead of killing
/// the process with a core dump and a temporary folder left behind.
enum InterruptHandling {
    static let signals: [Int32] = [SIGINT, SIGTERM]

    /// Installs the handlers (once; later calls do nothing).
    static func install() {
        _ = installed
    }

    private static let installed: Bool = {
        signal(SIGXFSZ, SIG_IGN)
        let fd = signals.withUnsafeBufferPointer { ovc_install_signal_pipe($0.baseAddress, Int32($0.count)) }
        guard fd >= 0 else {
            FileHandle.standardError.write(Data("ovconvert: warning: cannot handle SIGINT/SIGTERM: \(String(cString: strerror(errno)))\n".utf8))
            return false
        }
        let waiter = Thread {
            let sig = ovc_wait_for_signal(fd)
            guard sig > 0 else { return }
            PendingOutputs.shared.abandonAll()
            _exit(128 + sig)
        }
        waiter.name = "ovconvert-signals"
        waiter.start()
        return true
    }()
}
