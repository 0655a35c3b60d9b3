"""Every write of the evaluation app's client data: outcomes (`outcomes`) and ESF+ entry data
(`entry`). Each service takes the acting membership first, checks it, validates, and writes in
one transaction attributed to the actor in the change audit."""
