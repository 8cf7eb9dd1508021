using static TorchSharp.torch;

namespace DP.Runtime.Models;

/// <summary>
/// A model that draws random numbers from generators of its own (not torch's default one, e.g. Gumbel noise).
/// The trainer saves these states in checkpoints and restores them on resume, so that a resumed run draws the
/// same numbers as one never stopped.
/// </summary>
public interface IRandomStateOwner
{
    /// <summary>Each generator's state by a stable name (e.g. "gumbel/cpu"), as CPU byte tensors the caller disposes.</summary>
    IReadOnlyDictionary<string, Tensor> SaveRandomState();

    /// <summary>Restores states that <see cref="SaveRandomState"/> returned (creating generators as needed).</summary>
    void LoadRandomState(IReadOnlyDictionary<string, Tensor> states);
}
