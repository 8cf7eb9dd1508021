// Training and predicting from an F# script, on the DP.Runtime (and TorchSharp, libtorch) that a DP.Sdk F# project
// restored and built: `dotnet new dp-experiment -lang F# -n Sentiment`, `dotnet build`, `dotnet run -- train`
// once (it writes the sample data), then in that folder:
//   dotnet fsi train-and-predict.fsx
// The project's assembly brings its generated, typed experiment module (SentimentExperiment, SentimentInput, …).
#r "bin/Debug/net10.0/DP.Runtime.dll"
#r "bin/Debug/net10.0/Sentiment.dll"

open System.IO
open System.Runtime.InteropServices
open Sentiment

// DP.Runtime sets libtorch's thread policy as it loads, so touch it before libtorch: the spec's options.
let options = SentimentExperiment.CreateOptions ()
printfn "experiment %s, method %A" options.Name options.Method.Kind

// A script has no deps.json to find the natives by: load the build's copy (TorchSharp then finds it by name).
let natives = Path.Combine(__SOURCE_DIRECTORY__, "bin/Debug/net10.0/runtimes/linux-x64/native")
NativeLibrary.Load(Path.Combine(natives, "libLibTorchSharp.so")) |> ignore

// The same command line as `dotnet run -- train --max-steps 20`.
let status = SentimentExperiment.Run [| "train"; "--max-steps"; "20" |]
if status <> 0 then failwithf "training failed (%d)" status

// The run just trained, its best weights: label new text with the generated record and union.
using (SentimentExperiment.LoadPredictor ()) (fun predictor ->
    for p in predictor.Predict([ { Text = "a wonderful and moving film" }; { Text = "a dull, tedious mess" } ]) do
        printfn "prediction %A %.3f" p.Label p.Probabilities.[p.Label])
