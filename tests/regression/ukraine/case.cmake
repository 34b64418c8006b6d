set(SCENARIO scenarios/ukraine.yaml)
set(SEED 20261123)
set(TRIALS 20000)
