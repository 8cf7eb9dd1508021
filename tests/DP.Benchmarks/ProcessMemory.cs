using System.Globalization;

namespace DP.Benchmarks;

/// <summary>This process's resident memory from /proc/self (Linux): now and peak.</summary>
public static class ProcessMemory
{
    /// <summary>Resident set size now (VmRSS), in MB.</summary>
    public static double RssMb() => StatusFieldMb("VmRSS:");

    /// <summary>Peak resident set size (VmHWM) since the process started, in MB.</summary>
    public static double PeakRssMb() => StatusFieldMb("VmHWM:");

    private static double StatusFieldMb(string field)
    {
        if (!File.Exists("/proc/self/status")) return double.NaN;
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        return double.NaN;
    }
}
