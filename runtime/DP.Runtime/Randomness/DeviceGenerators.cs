using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Randomness;

/// <summary>
/// Seeded torch generators of one random stream, one per device (created on first use). A stream of its own, rather
/// than torch's default generator, makes its draws reproducible whatever else draws random numbers in the process,
/// and lets checkpoints save and restore it.
/// </summary>
public sealed class DeviceGenerators : IDisposable
{
    private readonly Dictionary<string, Generator> _generators = [];
    private ulong _seed;

    public DeviceGenerators(long seed) => _seed = unchecked((ulong)seed);

    /// <summary>The generator for <paramref name="device"/>, created from the seed on first use.</summary>
    public Generator For(Device device)
    {
        var key = device.ToString();
        if (!_generators.TryGetValue(key, out var gen))
        {
            gen = new Generator(_seed, device);
            _generators[key] = gen;
        }
        return gen;
    }

    /// <summary>Starts the stream again from <paramref name="seed"/> on every device.</summary>
    public void Reseed(long seed)
    {
        Dispose();
        _seed = unchecked((ulong)seed);
    }

    /// <summary>The state of each generator used so far, by device (for checkpoints; CPU byte tensors the caller disposes).</summary>
    public IReadOnlyDictionary<string, Tensor> SaveState() =>
        _generators.ToDictionary(kv => kv.Key, kv => kv.Value.get_state());

    /// <summary>Restores generator states that <see cref="SaveState"/> returned.</summary>
    public void LoadState(IReadOnlyDictionary<string, Tensor> states)
    {
        foreach (var (key, state) in states) For(torch.device(key)).set_state(state);
    }

    /// <summary>A managed copy of every generator's state (cheap: a few kilobytes each; no native lifetime to manage).</summary>
    public IReadOnlyDictionary<string, byte[]> Snapshot() => _generators.ToDictionary(kv => kv.Key, kv =>
    {
        using var state = kv.Value.get_state();
        return state.data<byte>().ToArray();
    });

    /// <summary>
    /// Puts every generator back where <see cref="Snapshot"/> found it; a generator created since then starts again from
    /// the seed, as it did then.
    /// </summary>
    public void Restore(IReadOnlyDictionary<string, byte[]> snapshot)
    {
        foreach (var key in _generators.Keys.Where(k => !snapshot.ContainsKey(k)).ToList())
        {
            _generators[key].Dispose();
            _generators.Remove(key);
        }
        foreach (var (key, bytes) in snapshot)
        {
            using var state = torch.tensor(bytes, dtype: ScalarType.Byte);
            For(torch.device(key)).set_state(state);
        }
    }

    public void Dispose()
    {
        foreach (var g in _generators.Values) g.Dispose();
        _generators.Clear();
    }
}
