"""Where a Tools run happens and how it configures OpenVINO: the CPU and its ISA flags, and the compile config
every numeric check uses. Each tool that compiles a model in OpenVINO prints `banner(config)` first, so its log
says where and how it ran (OpenVINO's CPU plugin computes differently on AVX2 and AVX-512 hosts, and on CPUs
with AVX-512 BF16 it defaults to bf16 inference unless INFERENCE_PRECISION_HINT is f32)."""

from __future__ import annotations

import os
import platform

# Flags of /proc/cpuinfo that change what OpenVINO's CPU plugin computes or how fast, in the order printed.
ISA_FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_int8", "amx_bf16")

# The config of every numeric check: f32 inference whatever the CPU offers (bf16 on AVX-512 BF16 or AMX hosts
# otherwise, and every comparison would look wrong).
NUMERIC_CONFIG = {"INFERENCE_PRECISION_HINT": "f32"}


def _cpuinfo() -> dict[str, str]:
    """The first processor's fields of /proc/cpuinfo (empty where there is none)."""
    fields: dict[str, str] = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if not line.strip():
                    break
                key, _, value = line.partition(":")
                fields[key.strip()] = value.strip()
    except OSError:
        pass
    return fields


def cpu_model() -> str:
    """The CPU's model name ("AMD EPYC", "Intel(R) Xeon(R) Processor", ...)."""
    return _cpuinfo().get("model name") or platform.processor() or "unknown CPU"


def isa_flags() -> dict[str, bool]:
    """Each flag of ISA_FLAGS: whether this CPU has it."""
    present = set(_cpuinfo().get("flags", "").split())
    return {flag: flag in present for flag in ISA_FLAGS}


def cpu_label() -> str:
    """A short label of the CPU for logs and expectations: model name and the ISA flags it has,
    e.g. "AMD EPYC [avx2]"."""
    have = [flag for flag, present in isa_flags().items() if present]
    return f"{cpu_model()} [{' '.join(have) or 'no avx2'}]"


def describe() -> str:
    """CPU model, cores available, each relevant ISA flag yes/no, and the OS."""
    flags = ", ".join(f"{flag} {'yes' if present else 'no'}" for flag, present in isa_flags().items())
    return (f"CPU: {cpu_model()}, {len(os.sched_getaffinity(0))} cores available; ISA: {flags}; "
            f"{platform.system()} {platform.release()}")


def banner(config: dict[str, object] | None = None) -> str:
    """The lines a tool prints first: the CPU, and OpenVINO's version with the compile config it uses."""
    lines = [describe()]
    if config is not None:
        import openvino

        settings = ", ".join(f"{k} {v}" for k, v in config.items())
        lines.append(f"OpenVINO {openvino.get_version()} CPU plugin, compiled with {settings}")
    return "\n".join(lines)
