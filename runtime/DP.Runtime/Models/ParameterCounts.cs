using System.Globalization;
using TorchSharp;

namespace DP.Runtime.Models;

/// <summary>Trainable (requires_grad) and frozen parameter counts of a module, as PEFT's print_trainable_parameters() reports them.</summary>
public static class ParameterCounts
{
    public static (long Trainable, long Frozen) Of(torch.nn.Module module)
    {
        long trainable = 0, frozen = 0;
        foreach (var p in module.parameters())
            if (p.requires_grad) trainable += p.numel(); else frozen += p.numel();
        return (trainable, frozen);
    }

    /// <summary>"trainable params: 1,234 || all params: 5,678 || trainable%: 21.7329".</summary>
    public static string Line(long trainable, long frozen)
    {
        long all = trainable + frozen;
        return string.Format(CultureInfo.InvariantCulture, "trainable params: {0:N0} || all params: {1:N0} || trainable%: {2:0.####}",
            trainable, all, all == 0 ? 0 : 100.0 * trainable / all);
    }
}
