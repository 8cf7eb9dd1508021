using System.Runtime.InteropServices;
using DP.Runtime.Native;
using Xunit;

namespace DP.Runtime.Tests.Native;

public class OpenMpWaitPolicyTests
{
    [DllImport("libc")] private static extern IntPtr getenv(string name);
    [DllImport("libc")] private static extern int unsetenv(string name);
    [DllImport("libc")] private static extern int setenv(string name, string value, int overwrite);

    private static string? NativeValue() => Marshal.PtrToStringAnsi(getenv(OpenMpWaitPolicy.Variable));

    [Fact]
    public void SetsPassiveForNativeCodeOnlyWhenUnset()
    {
        if (!OperatingSystem.IsLinux()) return;
        var original = Environment.GetEnvironmentVariable(OpenMpWaitPolicy.Variable);
        try
        {
            Environment.SetEnvironmentVariable(OpenMpWaitPolicy.Variable, null);
            unsetenv(OpenMpWaitPolicy.Variable);
            Assert.True(OpenMpWaitPolicy.EnsurePassiveUnlessSet());
            Assert.Equal("PASSIVE", NativeValue()); // visible to libgomp, not only to managed code

            Environment.SetEnvironmentVariable(OpenMpWaitPolicy.Variable, "ACTIVE");
            setenv(OpenMpWaitPolicy.Variable, "ACTIVE", 1);
            Assert.False(OpenMpWaitPolicy.EnsurePassiveUnlessSet()); // a user's choice wins
            Assert.Equal("ACTIVE", NativeValue());
        }
        finally
        {
            Environment.SetEnvironmentVariable(OpenMpWaitPolicy.Variable, original);
            if (original is null) unsetenv(OpenMpWaitPolicy.Variable); else setenv(OpenMpWaitPolicy.Variable, original, 1);
        }
    }
}
