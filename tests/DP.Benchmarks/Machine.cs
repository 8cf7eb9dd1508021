namespace DP.Benchmarks;

/// <summary>What a speed result was measured on, printed with every one: tables from different CPUs, or from one
/// CPU under different loads, cannot be compared.</summary>
public static class Machine
{
    /// <summary>The CPU model, core count and the ISA flags that decide oneDNN's bf16 GEMM kernel.</summary>
    public static string Cpu
    {
        get
        {
            var info = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
            string? Field(string name) => info.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
            var flags = (Field("flags") ?? "").Split(' ');
            var isa = new[] { "avx2", "avx512f", "avx512_bf16", "amx_bf16" }.Where(flags.Contains);
            return $"{Field("model name") ?? "unknown CPU"} (family {Field("cpu family")}, model {Field("model")}), " +
                   $"{Environment.ProcessorCount} cpus, {string.Join(' ', isa)}";
        }
    }

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage => File.Exists("/proc/loadavg")
        ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))
        : "n/a";
}
