namespace DP.Benchmarks;

/// <summary>
/// Analytic FLOPs of a BERT-family encoder step (multiply-add = 2 FLOPs; GEMMs and attention products only, the
/// element-wise work is ignored). A frozen backbone needs gradients with respect to activations only, so its
/// backward costs about one forward; fine-tuning also computes weight gradients (about two forwards).
/// </summary>
public static class StepFlops
{
    public static double EncoderForward(int batch, int length, int hidden, int layers, int intermediate, int prefixKeys = 0)
    {
        double tokens = (double)batch * length;
        double keys = length + prefixKeys;
        double projections = 2 * tokens * hidden * hidden * 4;          // q, k, v, attention output
        double attention = 2 * 2 * batch * (double)length * keys * hidden; // scores and weighted values
        double ffn = 2 * 2 * tokens * hidden * intermediate;            // up and down projections
        return layers * (projections + attention + ffn);
    }

    /// <summary>Forward + backward of one training step.</summary>
    public static double TrainStep(double forward, bool backboneTrainable) => forward * (backboneTrainable ? 3 : 2);
}
