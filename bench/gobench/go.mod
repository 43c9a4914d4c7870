module ws2send/bench/gobench

go 1.19
