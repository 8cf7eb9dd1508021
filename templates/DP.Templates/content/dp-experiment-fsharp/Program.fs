// The program: writes the sample data on its first start, then runs the experiment command line (train, eval,
// predict, --set key=value, --help). DpCli and the typed experiment modules are generated from the specs.
module DpExperiment.Program

[<EntryPoint>]
let main args =
    DpSampleData.writeIfMissing ()
    DpCli.Run args
