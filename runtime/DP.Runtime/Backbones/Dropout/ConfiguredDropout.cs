using static TorchSharp.torch;

namespace DP.Runtime.Backbones.Dropout;

/// <summary>One place a backbone drops out, at the rate its config gives for it (a module passes its own training flag).</summary>
public sealed record ConfiguredDropout(SeededDropout Source, double Rate)
{
    public Tensor Apply(Tensor x, bool training) => Source.Apply(x, Rate, training);

    public bool IsActive(bool training) => Source.IsActive(training, Rate);
}
