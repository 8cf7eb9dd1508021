using DP.Runtime.Backbones;
using DP.Runtime.Devices;
using DP.Runtime.Experiments;
using DP.Runtime.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Instance;

/// <summary>
/// The instance representation u [B, d]: the masked mean (real tokens only) of the frozen encoder's last hidden
/// state on the unprompted input, computed without gradients and in eval mode (no dropout), or the masked mean of
/// the input word embeddings. Each row is computed alone, cut to its own length (up to its last real token): the
/// float rounding of a batched forward depends on the batch's other rows and padded length, and a resumed run
/// (whose cache starts empty) would otherwise see other values than a run never stopped. On CPU that costs little
/// (the tokens of one example still fill the matrix products); on a GPU the single-row forwards are slower, but a
/// frozen backbone computes each example only once. Because the frozen backbone makes u a function of the example
/// alone, each example's u is computed once and cached by <see cref="ModelBatch.ExampleKeys"/>. A cached entry is used only when the
/// example's ids fingerprint matches and the backbone is the same (same object, dtype and <see cref="Version"/>);
/// a trainable backbone is never cached.
/// </summary>
public sealed class InstanceRepresentationCache : IDisposable
{
    private readonly IPromptableBackbone _backbone;
    private readonly InstanceFeatures _features;
    private readonly Dictionary<long, (long Fingerprint, int Slot)> _entries = [];
    private Tensor? _table; // [capacity, d]: row Slot holds the example's u
    private int _used;
    private (ScalarType DType, long Version) _stamp;
    private Tensor? _positionWeights;

    public InstanceRepresentationCache(IPromptableBackbone backbone, InstanceFeatures features)
    {
        _backbone = backbone;
        _features = features;
        _stamp = (backbone.ComputeDType, 0);
    }

    /// <summary>Bump after changing backbone weights in place (e.g. loading a checkpoint): drops every entry.</summary>
    public long Version { get; private set; }

    /// <summary>How many example representations were computed (not served from the cache).</summary>
    public long ComputedExamples { get; private set; }

    /// <summary>How many example representations were asked for; 1 − Computed / Requested is the hit rate.</summary>
    public long RequestedExamples { get; private set; }

    public int Count => _entries.Count;

    public void Invalidate()
    {
        Version++;
        Clear();
    }

    /// <summary>u for every row of the batch [B, d] (float32, on the batch's device, no gradient).</summary>
    public Tensor Get(ModelBatch batch)
    {
        RequestedExamples += batch.Size;
        if (_backbone.Module.parameters().Any(p => p.requires_grad))
        {
            ComputedExamples += batch.Size;
            return Compute(batch.InputIds, batch.AttentionMask, batch.TokenTypeIds, batch.OnHost.AttentionMask);
        }
        if (_stamp != (_backbone.ComputeDType, Version))
        {
            Clear();
            _stamp = (_backbone.ComputeDType, Version);
        }

        using var scope = NewDisposeScope();
        var device = batch.InputIds.device;
        if (_table is not null && _table.device.ToString() != device.ToString()) Clear();
        // Fingerprints from the batch's host copy (no device→host copy when it has one); the keys are on the host too.
        var host = batch.OnHost;
        var prints = Fingerprints(host.InputIds, host.AttentionMask).cpu().data<long>().ToArray();
        var keys = RowKeys(batch);
        var slots = new long[keys.Length];
        var missingRows = new List<long>();
        var missingSlots = new List<long>();
        for (int i = 0; i < keys.Length; i++)
        {
            if (_entries.TryGetValue(keys[i], out var e) && e.Fingerprint == prints[i])
            {
                slots[i] = e.Slot;
                continue;
            }
            int slot = _entries.TryGetValue(keys[i], out var stale) ? stale.Slot : _used++;
            _entries[keys[i]] = (prints[i], slot);
            slots[i] = slot;
            missingRows.Add(i);
            missingSlots.Add(slot);
        }

        if (missingRows.Count > 0)
        {
            var hostRows = torch.tensor(missingRows.ToArray(), device: host.AttentionMask.device);
            var rows = hostRows.to(device);
            var fresh = Compute(MetaFallback.IndexSelect(batch.InputIds, 0, rows), MetaFallback.IndexSelect(batch.AttentionMask, 0, rows),
                batch.TokenTypeIds is { } types ? MetaFallback.IndexSelect(types, 0, rows) : null, host.AttentionMask.index_select(0, hostRows));
            ComputedExamples += missingRows.Count;
            EnsureCapacity(_used, fresh.shape[1], device);
            _table!.index_copy_(0, torch.tensor(missingSlots.ToArray(), device: device), fresh);
        }
        // One gather from the device-resident table, whatever the batch size.
        return MetaFallback.IndexSelect(_table!, 0, torch.tensor(slots, device: device)).MoveToOuterDisposeScope();
    }

    /// <summary>Grows the [capacity, d] table by doubling so slots stay stable.</summary>
    private void EnsureCapacity(int rows, long dim, Device device)
    {
        if (_table is not null && _table.shape[0] >= rows) return;
        long capacity = Math.Max(64, _table is null ? rows : _table.shape[0]);
        while (capacity < rows) capacity *= 2;
        var grown = torch.zeros(capacity, dim, dtype: ScalarType.Float32, device: device);
        if (_table is not null)
        {
            grown[..(int)_table.shape[0]] = _table;
            _table.Dispose();
        }
        _table = grown.DetachFromDisposeScope();
    }

    /// <summary>
    /// One cache key per row: the example keys themselves, or, for a multiple-choice batch keyed per example,
    /// (example key, candidate index) combined (the fingerprint still guards against any collision).
    /// </summary>
    private static long[] RowKeys(ModelBatch batch)
    {
        long rows = batch.InputIds.shape[0];
        if (batch.ExampleKeys.Length == rows) return batch.ExampleKeys;
        if (batch.ChoiceCounts is { } counts && counts.Length == batch.ExampleKeys.Length && counts.Sum() == rows)
            return counts.SelectMany((c, e) => Enumerable.Range(0, c).Select(i => unchecked(batch.ExampleKeys[e] * 1_000_003L + i))).ToArray();
        throw new ArgumentException($"ModelBatch has {rows} rows but {batch.ExampleKeys.Length} example keys (and no matching ChoiceCounts).");
    }

    /// <summary>
    /// u computed now, bypassing the cache: each row on its own, so its value never depends on the other rows.
    /// <paramref name="hostMask"/>: the same mask on the host, if the caller has it (the row lengths are read from it).
    /// </summary>
    public Tensor Compute(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null, Tensor? hostMask = null)
    {
        using var scope = NewDisposeScope();
        // Each row's length up to its last real token (read from the host mask, or one small device→host copy).
        var lengthMask = hostMask ?? attentionMask;
        long width = lengthMask.shape[1];
        var lengths = ((lengthMask > 0).to(ScalarType.Int64) * torch.arange(1, width + 1, device: lengthMask.device)).amax(1)
            .clamp_min(1).cpu().data<long>().ToArray();
        var rows = new Tensor[lengths.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            var length = (int)lengths[r];
            rows[r] = ComputeRow(inputIds[r..(r + 1), ..length].contiguous(), attentionMask[r..(r + 1), ..length].contiguous(),
                tokenTypeIds?[r..(r + 1), ..length].contiguous());
        }
        return torch.cat(rows, 0).MoveToOuterDisposeScope();
    }

    private Tensor ComputeRow(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds)
    {
        using var _ = torch.no_grad();
        var embeds = _backbone.EmbedTokens(inputIds);
        Tensor states;
        if (_features == InstanceFeatures.Embeddings)
        {
            states = embeds;
        }
        else
        {
            var module = _backbone.Module;
            bool wasTraining = module.training;
            module.eval();
            try
            {
                states = _backbone.Forward(new BackboneInput(embeds, attentionMask, TokenTypeIds: tokenTypeIds)).LastHiddenState;
            }
            finally
            {
                if (wasTraining) module.train();
            }
        }
        return MaskedMean(states.to(ScalarType.Float32), attentionMask).detach();
    }

    /// <summary>Mean over positions where mask is 1: [B, L, d], [B, L] → [B, d].</summary>
    public static Tensor MaskedMean(Tensor states, Tensor mask)
    {
        var m = mask.to(states.dtype).unsqueeze(-1);
        return (states * m).sum(1) / m.sum(1).clamp_min(1.0);
    }

    /// <summary>Per-row hash of the real token ids (int64 arithmetic wraps, identically on every device).</summary>
    private Tensor Fingerprints(Tensor ids, Tensor mask)
    {
        long length = ids.shape[1];
        if (_positionWeights is null || _positionWeights.shape[0] < length || _positionWeights.device.ToString() != ids.device.ToString())
        {
            _positionWeights?.Dispose();
            var w = new long[Math.Max(length, 512)];
            ulong state = 0x9E3779B97F4A7C15UL;
            for (int i = 0; i < w.Length; i++) w[i] = unchecked((long)SplitMix(ref state) | 1L);
            _positionWeights = torch.tensor(w, device: ids.device).DetachFromDisposeScope();
        }
        var real = mask.to(ScalarType.Int64);
        return ((ids.to(ScalarType.Int64) + 1) * real * _positionWeights[..(int)length]).sum(1) + real.sum(1);
    }

    private static ulong SplitMix(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private void Clear()
    {
        _entries.Clear();
        _table?.Dispose();
        _table = null;
        _used = 0;
    }

    public void Dispose()
    {
        Clear();
        _positionWeights?.Dispose();
    }
}
