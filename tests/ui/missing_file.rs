symdiff::network!(file = "nets/no_such_file.sd");

fn main() {}
