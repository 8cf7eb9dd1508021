using DP.Runtime.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Training.Devices;

/// <summary>Turns the configured device choice into a torch device; auto = CUDA when torch sees one.</summary>
public static class DeviceResolver
{
    public static Device Resolve(DeviceChoice choice) => choice switch
    {
        DeviceChoice.Cpu => CPU,
        DeviceChoice.Cuda => cuda.is_available()
            ? CUDA
            : throw new InvalidOperationException("training.device: cuda was requested but torch sees no CUDA device (is a CUDA libtorch backend referenced?)."),
        _ => cuda.is_available() ? CUDA : CPU,
    };
}
