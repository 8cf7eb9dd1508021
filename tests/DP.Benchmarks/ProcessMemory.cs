using System.Globalization;

namespace DP.Benchmarks;

/// <summary>This process's resident memory from /proc/self (Linux): now, peak, and a reset of the peak.</summary>
public static class ProcessMemory
{
    /// <summary>Resident set size now (VmRSS), in MB.</summary>
    public static double RssMb() => StatusFieldMb("VmRSS:");

    /// <summary>Peak resident set size (VmHWM) since the process started or since the last <see cref="ResetPeak"/>, in MB.</summary>
    public static double PeakRssMb() => StatusFieldMb("VmHWM:");

    /// <summary>
    /// Resets VmHWM to the current RSS (writing 5 to /proc/self/clear_refs, Linux ≥ 4.0), so that one process can
    /// report the peak of each of several runs. Returns false where the kernel does not allow it.
    /// </summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static double StatusFieldMb(string field)
    {
        if (!File.Exists("/proc/self/status")) return double.NaN;
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        return double.NaN;
    }
}
