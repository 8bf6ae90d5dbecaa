"""One module per replica; each exposes build() -> replica_core.Replica."""

NAMES = ("qwen", "phi3", "openelm", "tinyllama", "codet5", "chatinterface")
DEFAULT_PORTS = {
    "qwen": 7861,
    "phi3": 7862,
    "openelm": 7863,
    "tinyllama": 7864,
    "codet5": 7865,
    "chatinterface": 7866,
}
